/**
 * How errors look on the wire for a server version: Infisical's error handler body (with or
 * without `reqId` and `details`, validation as 401 or 422), the rate-limit answer, and the bodies
 * Fastify writes itself (route not found, header too large), which carry no request id.
 *
 * @module http/error-format
 */
import { randomBytes } from 'node:crypto';
import type { Behaviours } from '../versions/behaviours.js';
import { type ApiError, ValidationError } from './api-error.js';

/** A status and JSON body to answer. */
export interface ErrorAnswerBody {
  status: number;
  body: Record<string, unknown>;
}

/** Renders errors as one server version does. */
export interface ErrorFormat {
  /** An error a route threw. */
  error(error: ApiError): ErrorAnswerBody;
  /** A request refused by the rate limiter. */
  rateLimited(retryAfterSeconds: number): ErrorAnswerBody;
}

const requestId = (): string => `req-${randomBytes(10).toString('base64url').slice(0, 14)}`;

/** The error rendering of a server version. */
export function createErrorFormat(
  behaviours: Pick<
    Behaviours,
    'errorRequestId' | 'validationStatus' | 'permissionDeniedDetails' | 'rateLimitStatus'
  >,
): ErrorFormat {
  const body = (status: number, error: string, message: unknown, details?: unknown) => ({
    ...(behaviours.errorRequestId ? { reqId: requestId() } : {}),
    statusCode: status,
    message,
    error,
    ...(details === undefined ? {} : { details }),
  });
  return {
    error(error) {
      const status = error instanceof ValidationError ? behaviours.validationStatus : error.status;
      const keepDetails = error.error !== 'PermissionDenied' || behaviours.permissionDeniedDetails;
      return {
        status,
        body: body(status, error.error, error.body, keepDetails ? error.details : undefined),
      };
    },
    rateLimited(seconds) {
      const status = behaviours.rateLimitStatus;
      return status === 429
        ? {
            status,
            body: body(
              429,
              'RateLimitExceeded',
              `Rate limit exceeded. Please try again in ${seconds} seconds`,
            ),
          }
        : { status, body: body(500, 'InternalServerError', 'Something went wrong') };
    },
  };
}

/** Fastify's own answer to a request that matches no route. */
export function routeNotFound(method: string, path: string): Record<string, unknown> {
  return { message: `Route ${method}:${path} not found`, error: 'Not Found', statusCode: 404 };
}

/** Fastify's answer to a request line and headers larger than Node accepts. */
export const HEADERS_TOO_LARGE = {
  error: 'Request Header Fields Too Large',
  message: 'Exceeded maximum allowed HTTP header size',
  statusCode: 431,
} as const;
