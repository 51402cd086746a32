/**
 * Typed errors thrown by services and stores, mapped to HTTP in one place
 * (`http/error-mapper.ts`). Only 4xx messages reach the client; they must never contain a
 * key, token or secret.
 */
export class RegistryError extends Error {
  constructor(
    message: string,
    public readonly statusCode: number,
    public readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InputError extends RegistryError {
  constructor(message: string) {
    super(message, 400, 'invalid_input');
  }
}
export class UnauthorizedError extends RegistryError {
  constructor(message = 'a valid bearer token is required') {
    super(message, 401, 'unauthorized');
  }
}
export class ForbiddenError extends RegistryError {
  constructor(message: string) {
    super(message, 403, 'forbidden');
  }
}
export class NotFoundError extends RegistryError {
  constructor(message: string) {
    super(message, 404, 'not_found');
  }
}
export class ConflictError extends RegistryError {
  constructor(message: string) {
    super(message, 409, 'conflict');
  }
}
export class NotReadyError extends RegistryError {
  constructor(message: string) {
    super(message, 503, 'not_ready');
  }
}
