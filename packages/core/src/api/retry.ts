/**
 * Retry policy of the transport: which failures are retried, how long to wait between attempts,
 * and how long the client cools down after a request failed for good.
 *
 * @module
 */

import { checkOptionNames, optionNames, optionsObject } from '../config/option-names.js';
import { durationMs } from '../config/option-values.js';
import { InfisicalError } from '../errors/infisical-error.js';

/** How the transport retries failed requests, and how long the client then cools down. */
export interface RetryOptions {
  /**
   * Retries after the first attempt; 0 disables retries. At most 10.
   * @default 3
   */
  maxRetries: number;
  /**
   * Ceiling of the first backoff delay, doubled for each retry (full jitter), in ms.
   * @default 250
   */
  baseDelayMs: number;
  /**
   * Largest backoff ceiling, in ms.
   * @default 8000
   */
  maxDelayMs: number;
  /**
   * Longest `Retry-After` the transport waits for within one request, in ms. When the server
   * asks for more, the `RATE_LIMITED` (or `SERVER_ERROR`) error surfaces at once, and the client
   * sends nothing until that time has passed (see `maxCooldownMs`).
   * @default 30000
   */
  maxRetryAfterMs: number;
  /**
   * Longest cooldown of the client, in ms. After a request fails for good with a server-side
   * failure (5xx, 429, network error, timeout), the client sends nothing for a jittered delay
   * (1 s, doubling with each consecutive failure, at most this), failing at once with the last
   * error instead: cached reads keep being served, and a struggling server is not hammered. A
   * rate limit (429, or the 2024-10 release's 500 with `retry-after`) holds back its whole
   * category (`secrets`, `write` — logins included — or `read`) for the server's `Retry-After`
   * in full (at most 10 minutes), whatever this says. `0` turns the cooldown and the rate-limit
   * budget off.
   * @default 30000
   */
  maxCooldownMs: number;
}

/** The retry settings used when none are given. */
export const DEFAULT_RETRY_OPTIONS: Readonly<RetryOptions> = /* @__PURE__ */ Object.freeze({
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  maxRetryAfterMs: 30_000,
  maxCooldownMs: 30_000,
});

const RETRY_OPTION_NAMES = /* @__PURE__ */ optionNames<RetryOptions>()(
  'maxRetries',
  'baseDelayMs',
  'maxDelayMs',
  'maxRetryAfterMs',
  'maxCooldownMs',
);
const MAX_RETRIES = 10;

/**
 * Fills unset retry options with {@link DEFAULT_RETRY_OPTIONS} and checks them.
 *
 * @throws InfisicalError `CONFIG_INVALID` for an unknown name (with the nearest valid one), a
 * duration that is negative, not finite or above 24 days, or `maxRetries` that is not an
 * integer from 0 to 10.
 */
export function resolveRetryOptions(options: Partial<RetryOptions> = {}): RetryOptions {
  checkOptionNames(optionsObject(options, 'retry') ?? {}, RETRY_OPTION_NAMES, 'retry');
  const resolved: RetryOptions = { ...DEFAULT_RETRY_OPTIONS };
  for (const name of RETRY_OPTION_NAMES) {
    const value = options[name];
    if (value === undefined) continue;
    if (name !== 'maxRetries') {
      resolved[name] = durationMs(value, { name: `retry.${name}`, unit: 'ms' });
      continue;
    }
    if (!Number.isInteger(value) || value < 0 || value > MAX_RETRIES) {
      throw new InfisicalError(
        'CONFIG_INVALID',
        `retry.maxRetries must be an integer from 0 to ${MAX_RETRIES}. Fix: pass a value such as ${DEFAULT_RETRY_OPTIONS.maxRetries}, or leave it unset.`,
      );
    }
    resolved.maxRetries = value;
  }
  return resolved;
}

/** The first cooldown after a failure, in ms, doubled per consecutive failure. */
const COOLDOWN_BASE_MS = 1000;

/**
 * How long to hold back after `failures` consecutive failures (1 for the first), in ms:
 * between half and all of `min(maxCooldownMs, 1000 * 2 ** (failures - 1))`, so clients that
 * failed together do not come back together. At least `retryAfterMs` when the server said so
 * (capped by `maxCooldownMs` as well); 0 when `maxCooldownMs` is 0.
 */
export function cooldownDelay(
  failures: number,
  options: Pick<RetryOptions, 'maxCooldownMs'>,
  retryAfterMs = 0,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    options.maxCooldownMs,
    COOLDOWN_BASE_MS * 2 ** Math.max(0, failures - 1),
  );
  const jittered = ceiling * (0.5 + 0.5 * random());
  return Math.ceil(Math.min(options.maxCooldownMs, Math.max(jittered, retryAfterMs)));
}

/**
 * The delay before retry number `attempt` (0 for the first retry), with full jitter:
 * `random() * min(maxDelayMs, baseDelayMs * 2 ** attempt)` ms.
 */
export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  return random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
}

const RETRY_IN_MESSAGE = /(?:try again|retry) in (\d+(?:\.\d+)?) ?(second|minute)s?/i;

/**
 * How long the server asked the client to wait, in ms, or `undefined` when it did not say.
 * Reads the `Retry-After` header (delta-seconds or HTTP-date), then Infisical's 429 message
 * "Rate limit exceeded. Please try again in N seconds".
 *
 * @param headerValue - the `Retry-After` header, or `null`.
 * @param bodyMessage - the `message` field of the error body.
 * @param now - current time in ms since the epoch, for HTTP-dates.
 */
export function parseRetryAfter(
  headerValue: string | null,
  bodyMessage?: unknown,
  now: number = Date.now(),
): number | undefined {
  const header = headerValue?.trim() ?? '';
  if (/^\d+(?:\.\d+)?$/.test(header)) return Number(header) * 1000;
  if (/[a-z]/i.test(header)) {
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (typeof bodyMessage === 'string') {
    const match = RETRY_IN_MESSAGE.exec(bodyMessage);
    if (match?.[1] !== undefined) {
      const unit = match[2]?.toLowerCase() === 'minute' ? 60_000 : 1000;
      return Number(match[1]) * unit;
    }
  }
  return undefined;
}

/** The parts of a request that decide whether it may be retried. */
export interface RetryableRequest {
  /** HTTP method. */
  method: string;
  /** Whether repeating the request is harmless; defaults to `true` for GET, `false` otherwise. */
  idempotent?: boolean;
}

/**
 * Whether a failed attempt may be retried. Idempotent requests (GET, or marked idempotent)
 * are retried on network errors, timeouts, 429 and 5xx. Other requests only on a rate limit
 * (`RATE_LIMITED`: a 429, or the 2024-10 release's 500 with the limiter's headers), which the
 * server rejects before applying them. Other 4xx are never retried.
 */
export function shouldRetry(error: InfisicalError, request: RetryableRequest): boolean {
  if (error.status === 429 || error.code === 'RATE_LIMITED') return true;
  const idempotent = request.idempotent ?? request.method.toUpperCase() === 'GET';
  if (!idempotent) return false;
  if (error.status !== undefined) return error.status >= 500;
  return error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT';
}
