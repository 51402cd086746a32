import type {
  FastifyBaseLogger,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
// fastify.d.ts uses this type but does not re-export it.
import type { FastifyChildLoggerFactory } from 'fastify/types/logger.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { levels, type Level } from 'pino';

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;

/** pino's level values (the registry's logger defines no custom levels: logger.ts). */
const LEVEL_VALUES: Readonly<Record<string, number>> = levels.values;

/**
 * A request's logger that makes pino's child only when the request writes a line.
 *
 * Fastify gives every request a child of the service logger bound to its request id, and
 * pino builds it (bindings serialized and redacted, log methods rebuilt for a route's own
 * level) whether or not anything is logged. On the ext-authz route, which logs warnings only
 * and is called once for every request the gateway admits, that was the largest cost left
 * after the decision itself. Here a call below the level returns at once, and the first one
 * at or above it builds the same child, so every line written carries the request id and
 * the redaction as before.
 */
class LazyRequestLogger implements FastifyBaseLogger {
  private real: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private options: ChildOptions,
    private levelName: string,
    private threshold: number,
  ) {}

  get level(): string {
    return this.real?.level ?? this.levelName;
  }

  set level(level: string) {
    const threshold = LEVEL_VALUES[level];
    if (threshold === undefined) {
      throw new Error(
        `unknown log level "${level}"; use one of ${Object.keys(LEVEL_VALUES).join(', ')}`,
      );
    }
    this.levelName = level;
    this.threshold = threshold;
    this.options = { ...this.options, level };
    if (this.real) this.real.level = level;
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.materialize().child(bindings, options);
  }

  private write(level: Level, args: unknown[]): void {
    if (LEVEL_VALUES[level]! < this.threshold) return;
    const real = this.materialize();
    Reflect.apply(real[level], real, args);
  }

  private materialize(): FastifyBaseLogger {
    return (this.real ??= this.parent.child(this.bindings, this.options));
  }
}

/**
 * A route's `childLoggerFactory` giving each request a LazyRequestLogger. A level pino does
 * not know (there are none in this service) gets pino's own child, which reports it.
 */
export const lazyRequestLoggerFactory: FastifyChildLoggerFactory<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
> = (logger, bindings, options) => {
  const level = options.level ?? logger.level;
  const threshold = LEVEL_VALUES[level];
  return threshold === undefined
    ? logger.child(bindings, options)
    : new LazyRequestLogger(logger, bindings, options, level, threshold);
};
