/**
 * What a request gets while the first load has not succeeded: a 503 error for Express's error
 * handlers, its `Retry-After` taken from the handle's cooldown.
 *
 * @module
 */
import { InfisicalError } from '@infisical/core';

/**
 * The error passed to `next(err)` while the secrets are not loaded: an {@link InfisicalError}
 * with the cause's `code` (`NETWORK_ERROR`, `AUTH_FAILED`, `MISSING_SECRETS`...), the cause as
 * `cause`, `status` 503, `retryAfterMs` and a `Retry-After` header, which Express's default error
 * handler applies. Its message names the cause, never a value.
 */
export interface SecretsUnavailableError extends InfisicalError {
  readonly status: 503;
  readonly headers: { readonly 'Retry-After': string };
}

/** The 503 error for a failed (or cooling down) load. */
export function unavailableError(error: unknown): SecretsUnavailableError {
  const cause = InfisicalError.from(error, 'Loading secrets failed');
  const seconds = Math.max(1, Math.ceil((cause.retryAfterMs ?? 0) / 1000));
  const unavailable = new InfisicalError(
    cause.code,
    `Infisical secrets are not loaded (${cause.code}: ${cause.message.replace(/\.+$/, '')}). Requests answer 503 until a load succeeds; the next attempt starts with a request after ${seconds} s.`,
    { cause, status: 503, retryAfterMs: cause.retryAfterMs },
  );
  return Object.assign(unavailable, {
    headers: { 'Retry-After': `${seconds}` },
  }) as SecretsUnavailableError;
}
