/**
 * The errors a route throws to answer with Infisical's error body (`statusCode`, `message`,
 * `error`, and `reqId`/`details` where the server version sends them).
 *
 * @module http/api-error
 */
import type { ZodIssue } from 'zod';

/** An error answered to the client with Infisical's error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly error: string;
  readonly body: string | unknown[];
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    error: string,
    message: string | unknown[],
    options: { details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(typeof message === 'string' ? message : error);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
    this.body = message;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/** A request that failed its schema: answered 401 or 422 `ValidationFailure` depending on the server version. */
export class ValidationError extends ApiError {
  constructor(issues: ZodIssue[]) {
    super(422, 'ValidationFailure', issues);
    this.name = 'ValidationError';
  }
}

/** 400 `BadRequest`, as the server's `BadRequestError`. */
export const badRequest = (message: string, error = 'BadRequest'): ApiError =>
  new ApiError(400, error, message);

/** 401 `UnauthorizedError`. */
export const unauthorized = (message: string): ApiError =>
  new ApiError(401, 'UnauthorizedError', message);

/** 403 `TokenError`: an expired, malformed or mis-signed JWT. */
export const tokenError = (message: string): ApiError => new ApiError(403, 'TokenError', message);

/** 403 `PermissionDenied`: a CASL rule refused the action (`details` only where the version sends it). */
export const permissionDenied = (action: string, subject: string): ApiError =>
  new ApiError(403, 'PermissionDenied', `You are not allowed to ${action} on ${subject}`, {
    details: [],
  });

/** 404 `NotFound` (or a custom error name, as some throw sites set). */
export const notFound = (message: string, error = 'NotFound'): ApiError =>
  new ApiError(404, error, message);

/** 500 with the name of the failing database call, as the server's `DatabaseError`. */
export const serverError = (error = 'InternalServerError'): ApiError =>
  new ApiError(500, error, 'Something went wrong');
