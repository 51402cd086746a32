import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { lazyRequestLoggerFactory } from '@agentic-platform/agent-registry/http/lazy-request-logger';
import { createLogger } from '@agentic-platform/agent-registry/logger';

function service(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      cb();
    },
  });
  const logger = createLogger(level, stream) as unknown as FastifyBaseLogger;
  const child = vi.spyOn(logger, 'child');
  // The factory's `this` (the Fastify instance) is not used.
  const make = (options: { level?: string } = {}) =>
    lazyRequestLoggerFactory.call(
      undefined as never,
      logger,
      { reqId: 'req-7' },
      options,
      undefined as never,
    );
  return { lines, child, make };
}

describe('lazyRequestLoggerFactory', () => {
  it('builds no pino child for a request that logs nothing at or above its level', () => {
    const s = service();
    const log = s.make({ level: 'warn' });
    log.info({ req: { url: '/ext-authz/a2a/acme/triage' } }, 'incoming request');
    log.debug('detail');
    log.trace('detail');
    expect(log.level).toBe('warn');
    expect(s.child).not.toHaveBeenCalled();
    expect(s.lines).toEqual([]);
  });

  it('writes a warning with the request id and the redaction of the service logger', () => {
    const s = service();
    const log = s.make({ level: 'warn' });
    log.warn({ secret: 'agr_abc', apiKey: 'agr_def' }, 'odd request');
    log.error(new Error('boom'), 'request failed');
    expect(s.child).toHaveBeenCalledTimes(1);
    expect(s.lines).toMatchObject([
      {
        level: 40,
        reqId: 'req-7',
        service: 'agent-registry',
        msg: 'odd request',
        secret: '[redacted]',
        apiKey: '[redacted]',
      },
      { level: 50, reqId: 'req-7', msg: 'request failed', err: { message: 'boom' } },
    ]);
  });

  it("inherits the service logger's level when the route sets none", () => {
    const s = service('error');
    const log = s.make();
    log.warn('not written');
    expect(log.level).toBe('error');
    expect(s.lines).toEqual([]);
    log.fatal('written');
    expect(s.lines).toMatchObject([{ level: 60, reqId: 'req-7', msg: 'written' }]);
  });

  it('follows a level change before and after the child exists', () => {
    const s = service();
    const log = s.make({ level: 'warn' });
    log.level = 'info';
    log.info('now written');
    expect(log.level).toBe('info');
    log.level = 'error';
    log.warn('no longer written');
    expect(s.lines.map((l) => l.msg)).toEqual(['now written']);
  });

  it('refuses an unknown level and names the known ones', () => {
    const log = service().make({ level: 'warn' });
    expect(() => (log.level = 'loud')).toThrow(/unknown log level "loud"; use one of .*warn/);
  });

  it('hands child() the bindings of the request and the new ones', () => {
    const s = service();
    const child = s.make({ level: 'warn' }).child({ phase: 'decide' });
    child.warn('x');
    expect(s.lines).toMatchObject([{ reqId: 'req-7', phase: 'decide', msg: 'x' }]);
  });

  it("gives a level pino does not know to pino's own child, which refuses it", () => {
    expect(() => service().make({ level: 'loud' })).toThrow(/unknown level/);
  });
});
