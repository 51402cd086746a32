import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isUnambiguousDecoded,
  isUnambiguousPath,
} from '@agentic-platform/agent-registry/services/authorization';
import { ADMIN, DATABASES, startRegistry, type TestRegistry } from '../helpers';

/**
 * The holes an attack run found in the gateway check, each as the request that got through.
 * Every test here failed on the registry before the check was rebuilt (see git history).
 */
describe.each(DATABASES)('gateway authorization under attack on %s', (kind) => {
  let r: TestRegistry;
  let key: { secret: string; id: string };
  beforeAll(async () => {
    r = await startRegistry({
      kind,
      env: {
        REGISTRY_KEY_RATE_BURST: '5',
        REGISTRY_KEY_RATE_PER_SECOND: '1',
        REGISTRY_FAILED_AUTH_BURST: '3',
        REGISTRY_FAILED_AUTH_RATE_PER_SECOND: '1',
      },
    });
    const res = await r.app.inject({
      method: 'POST',
      url: '/v1/tenants/acme/keys',
      headers: { authorization: `Bearer ${await r.token(ADMIN)}` },
      payload: { name: 'victim', scopes: ['agent:*'] },
    });
    key = { secret: res.json().secret, id: res.json().key.id };
  });
  afterAll(() => r.app.close());

  const check = (path: string, headers: Record<string, string>) =>
    r.app.inject({ method: 'POST', url: `/ext-authz${path}`, headers });
  const wrongSecret = (id: string) => `agr_${id}_${'A'.repeat(43)}`;

  it('does not let wrong secrets for a known key id spend the real key’s rate limit', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await check('/a2a/acme/triage', {
        'x-api-key': wrongSecret(key.id),
        'x-agent-registry-source': `198.51.100.${i}`,
      });
      expect(res.statusCode).toBe(403);
    }
    const real = await check('/a2a/acme/triage', {
      'x-api-key': key.secret,
      'x-agent-registry-source': '203.0.113.7',
    });
    expect(real.statusCode).toBe(200);
  });

  it('limits failed attempts per source, and only that source', async () => {
    const attacker = { 'x-agent-registry-source': '192.0.2.66' };
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        (await check('/a2a/acme/triage', { ...attacker, 'x-api-key': wrongSecret(key.id) }))
          .statusCode,
      );
    }
    expect(codes).toEqual([403, 403, 403, 429, 429]);
    const blocked = await check('/a2a/acme/triage', { ...attacker, 'x-api-key': key.secret });
    expect(blocked.json()).toEqual({ allow: false, reason: 'too_many_failures' });
    const other = await check('/a2a/acme/triage', {
      'x-agent-registry-source': '192.0.2.67',
      'x-api-key': key.secret,
    });
    expect(other.statusCode).toBe(200);
  });

  it('writes no usage rows for key ids that do not verify', async () => {
    const ids = ['aaaaaaaaaaaa', 'bbbbbbbbbbbb', 'cccccccccccc'];
    for (const [i, id] of ids.entries()) {
      await check('/a2a/acme/triage', {
        'x-api-key': wrongSecret(id),
        'x-agent-registry-source': `198.18.0.${i}`,
      });
    }
    await check('/a2a/acme/triage', { 'x-api-key': wrongSecret(key.id) });
    const usage = await r.app.inject({
      url: '/v1/tenants/acme/usage?from=2026-03-01&to=2026-03-01',
      headers: { authorization: `Bearer ${await r.token(ADMIN)}` },
    });
    const keyIds = usage.json().rows.map((x: { keyId: string }) => x.keyId);
    expect(keyIds.filter((k: string) => ids.includes(k))).toEqual([]);
    // The real key's row counts only what its holder did.
    const own = usage.json().rows.find((x: { keyId: string }) => x.keyId === key.id);
    expect(own).toMatchObject({ allowed: 2, denied: 0 });
  });

  describe('paths the gateway forwards as sent', () => {
    let port: number;
    beforeAll(async () => {
      await r.app.listen({ host: '127.0.0.1', port: 0 });
      port = (r.app.server.address() as AddressInfo).port;
    });
    /**
     * agentgateway v1.4.1 sends `"/ext-authz" + request.path`, and `request.path` is the raw
     * URI path (`http::Uri::path()`: not decoded, dot segments kept). A raw socket sends the
     * bytes exactly so, where an HTTP client or inject() might normalize them first.
     */
    const raw = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => {
          s.write(
            `GET /ext-authz${path} HTTP/1.1\r\nhost: agent-registry\r\nx-api-key: ${key.secret}\r\nx-agent-registry-source: 203.0.113.9\r\nconnection: close\r\n\r\n`,
          );
        });
        let data = '';
        s.on('data', (d) => (data += d.toString('utf8')));
        s.on('end', () =>
          resolve({
            status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1]),
            body: data.slice(data.indexOf('\r\n\r\n') + 4),
          }),
        );
        s.on('error', reject);
      });

    it('allows the plain path (the control)', async () => {
      expect((await raw('/a2a/acme/triage/v1/message:send')).status).toBe(200);
    });

    it.each([
      '/a2a/acme/triage/../../research/research-assistant/x',
      '/a2a/acme/triage/%2e%2e/%2e%2e/research/research-assistant/x',
      '/a2a/acme/triage/%2E%2e/.%2E/research/research-assistant',
      '/a2a/acme/triage/./x',
      '/a2a/acme/triage/..;/..;/research/research-assistant',
      '/a2a/acme/triage%2f..%2f..%2fresearch%2fresearch-assistant',
      '/a2a/acme/triage/x%5c..%5c..',
      '/a2a/acme/triage//x',
      '/a2a/acme/triage/%252e%252e/x',
    ])('refuses %s before matching a route', async (path) => {
      const res = await raw(path);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({ allow: false, reason: 'ambiguous_path' });
    });

    it('refuses an undecodable escape (the router answers 400 first)', async () => {
      expect((await raw('/a2a/acme/triage/%zz')).status).toBe(400);
    });
  });
});

describe('the plain-path shortcut of the ambiguity check', () => {
  const tokens = [
    '/',
    '.',
    '..',
    'a',
    'Z9',
    '-',
    '_',
    '~',
    ':',
    '@',
    '!',
    '+',
    '=',
    ';',
    '%2e',
    '%2E',
    '%2f',
    '%5c',
    '%25',
    '%41',
    '%zz',
    '\\',
    '?',
    '#',
    '\u0001',
    ' ',
    'é',
  ];
  it('answers exactly what the segment-by-segment check answers, on 20,000 generated paths', () => {
    // A fixed-seed generator (mulberry32): the same paths on every run.
    let seed = 15;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    let plain = 0;
    for (let i = 0; i < 20_000; i++) {
      let p = rand() < 0.9 ? '/' : '';
      const n = 1 + Math.floor(rand() * 8);
      for (let j = 0; j < n; j++) p += tokens[Math.floor(rand() * tokens.length)];
      expect([p, isUnambiguousPath(p)]).toEqual([p, isUnambiguousDecoded(p)]);
      if (isUnambiguousPath(p)) plain++;
    }
    // Both answers occur, so the comparison is not vacuous.
    expect(plain).toBeGreaterThan(1_000);
    expect(plain).toBeLessThan(19_000);
  });

  it.each([
    '/a2a/acme/triage',
    '/a2a/acme/triage/',
    '/mcp/acme/github-tools/mcp',
    '/a2a/acme/triage/v1/message:send',
    '/a2a/acme/triage/...',
  ])('allows %s', (p) => expect(isUnambiguousPath(p)).toBe(true));

  it.each([
    '/',
    '//',
    '/a2a/acme/triage/..',
    '/a2a/./x',
    '/a2a/acme//x',
    'a2a/acme/triage',
    '/a2a/acme/triage?x=1',
  ])('refuses %s', (p) => expect(isUnambiguousPath(p)).toBe(false));
});
