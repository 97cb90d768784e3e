/**
 * Retry policy of the transport: which failures are retried, and how long to wait.
 *
 * @module
 */

import { InfisicalError } from '../errors/infisical-error.js';

/** How the transport retries failed requests. */
export interface RetryOptions {
  /**
   * Retries after the first attempt; 0 disables retries.
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
   * Longest `Retry-After` the transport waits for, in ms. When the server asks for more, the
   * `RATE_LIMITED` (or `SERVER_ERROR`) error surfaces at once.
   * @default 30000
   */
  maxRetryAfterMs: number;
}

/** The retry settings used when none are given. */
export const DEFAULT_RETRY_OPTIONS: Readonly<RetryOptions> = Object.freeze({
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  maxRetryAfterMs: 30_000,
});

/**
 * Fills unset retry options with {@link DEFAULT_RETRY_OPTIONS} and checks them.
 *
 * @throws InfisicalError `CONFIG_INVALID` when a value is negative, not finite, or
 * `maxRetries` is not an integer.
 */
export function resolveRetryOptions(options: Partial<RetryOptions> = {}): RetryOptions {
  const resolved: RetryOptions = { ...DEFAULT_RETRY_OPTIONS };
  for (const name of Object.keys(DEFAULT_RETRY_OPTIONS) as Array<keyof RetryOptions>) {
    const value = options[name];
    if (value === undefined) continue;
    const valid =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= 0 &&
      (name !== 'maxRetries' || Number.isInteger(value));
    if (!valid) {
      throw new InfisicalError(
        'CONFIG_INVALID',
        `retry.${name} must be a non-negative ${name === 'maxRetries' ? 'integer' : 'number of milliseconds'}. ` +
          `Fix: pass a value such as ${DEFAULT_RETRY_OPTIONS[name]}, or leave it unset.`,
      );
    }
    resolved[name] = value;
  }
  return resolved;
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
 * are retried on network errors, timeouts, 429 and 5xx. Other requests only on 429, which
 * the server rejects before applying them. Other 4xx are never retried.
 */
export function shouldRetry(error: InfisicalError, request: RetryableRequest): boolean {
  if (error.status === 429) return true;
  const idempotent = request.idempotent ?? request.method.toUpperCase() === 'GET';
  if (!idempotent) return false;
  if (error.status !== undefined) return error.status >= 500;
  return error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT';
}
