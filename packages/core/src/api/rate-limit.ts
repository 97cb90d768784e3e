/**
 * The rate-limit budget's vocabulary: which of Infisical's rate-limit categories a request
 * counts against, and whether an answer says the client was rate limited (a 429, or the
 * 2024-10 release's 500 carrying the limiter's headers).
 *
 * @module
 */

/**
 * Infisical's rate-limit categories, per client IP: `secrets` (secret, folder and import
 * routes, any method), `write` (logins, renewals, revocations and other writes), `read` (other
 * reads).
 */
export type RateCategory = 'secrets' | 'write' | 'read';

/** A rate limit one client met, as shared with the rest of its fleet. */
export interface RateLimitNotice {
  /** The category the server refused. */
  category: RateCategory;
  /** How long nothing of that category should be sent, in ms from now. */
  waitMs: number;
}

/** The longest wait a rate limit imposes, in ms, whatever the server says (its windows are a minute). */
export const MAX_RATE_LIMIT_WAIT_MS = 10 * 60_000;

const SECRETS_ROUTE = /^\/api\/v\d+\/(?:secrets|folders|secret-imports|dashboard)(?:\/|$)/;

/** The category Infisical counts `method path` against (its limiter's per-route configuration). */
export function rateCategory(method: string, path: string): RateCategory {
  if (SECRETS_ROUTE.test(path)) return 'secrets';
  return method.toUpperCase() === 'GET' ? 'read' : 'write';
}

/** The headers of an answer, as far as this module reads them. */
interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Whether an answer is the rate limiter's: a 429, or a 5xx with `retry-after` and
 * `x-ratelimit-remaining: 0`. Servers of 2024 (e.g. the 2024-10 release) answer a limited request
 * with 500 "Something went wrong" and the limiter's headers (capture
 * `rate-limit-secrets-list-41.json`); the last request the limit allows has `remaining: 0` too,
 * but no `retry-after`, so a real 500 of that request is still a server error.
 */
export function isRateLimitAnswer(status: number, headers: HeaderSource): boolean {
  if (status === 429) return true;
  return (
    status >= 500 &&
    headers.get('retry-after') !== null &&
    headers.get('x-ratelimit-remaining')?.trim() === '0'
  );
}

/** The limiter's `x-ratelimit-reset` (seconds until the window ends) in ms, when sent. */
export function rateLimitResetMs(headers: HeaderSource): number | undefined {
  const reset = headers.get('x-ratelimit-reset')?.trim() ?? '';
  return /^\d+(?:\.\d+)?$/.test(reset) ? Number(reset) * 1000 : undefined;
}
