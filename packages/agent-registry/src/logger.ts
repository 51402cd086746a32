import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths pino removes from every log line. Fastify's request serializer logs no headers, and
 * no code logs a key or token; these paths make sure an accidental `log.info({ req })` or a
 * logged request body cannot either.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'authorization',
  'secret',
  'token',
  'apiKey',
  '*.secret',
  '*.token',
  '*.apiKey',
  'body.secret',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const opts = {
    level,
    base: { service: 'agent-registry' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(opts, destination) : pino(opts);
}
