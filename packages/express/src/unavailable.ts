/**
 * What a request gets while the initial load has not succeeded: a 503 error for Express's error
 * handlers, and the backoff before the next attempt.
 *
 * @module
 */
import { InfisicalError, isInfisicalError } from '@infisical/core';

/**
 * The error passed to `next(err)` while the secrets are not loaded: an {@link InfisicalError}
 * with the cause's `code` (`NETWORK_ERROR`, `AUTH_FAILED`, `MISSING_SECRETS`...), the cause as
 * `cause`, `status` 503 and a `Retry-After` header, which Express's default error handler
 * applies. Its message names the cause, never a value.
 */
export type SecretsUnavailableError = InfisicalError & {
  readonly status: 503;
  readonly headers: { readonly 'Retry-After': string };
};

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/**
 * How long requests answer 503 without a new attempt after `failures` failed loads in a row:
 * 1 s, 2 s, 4 s... up to 30 s.
 */
export function retryDelay(failures: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - 1), MAX_DELAY_MS);
}

/** The 503 error of a failed load, `delayMs` before the next attempt. */
export function unavailableError(cause: unknown, delayMs: number): SecretsUnavailableError {
  const reason = isInfisicalError(cause)
    ? `${cause.code}: ${cause.message.replace(/\.+$/, '')}`
    : `${cause instanceof Error ? cause.name : 'unknown error'}`;
  const seconds = Math.ceil(delayMs / 1000);
  const error = new InfisicalError(
    isInfisicalError(cause) ? cause.code : 'HTTP_ERROR',
    `Infisical secrets are not loaded (${reason}). Requests answer 503 until a load succeeds; the next attempt starts with a request after ${seconds} s.`,
    { cause, status: 503, details: { retryAfterSeconds: seconds } },
  );
  return Object.assign(error, {
    headers: { 'Retry-After': `${seconds}` },
  }) as SecretsUnavailableError;
}
