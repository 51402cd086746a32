import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { RegistryError } from '../errors.js';

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
}

/**
 * The one place errors become responses. Typed registry errors and client errors keep their
 * message (they are written for the caller and never carry secrets); anything else is a 500
 * whose details go to the log only.
 */
export function registerErrorMapper(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof RegistryError) {
      return reply.code(err.statusCode).send({ error: err.code, message: err.message });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const message = err.validation
        .map((v) => `${v.instancePath || err.validationContext || 'request'} ${v.message}`)
        .join('; ');
      return reply.code(400).send({ error: 'invalid_input', message });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: err.code ?? 'bad_request', message: err.message });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }),
  );
}
