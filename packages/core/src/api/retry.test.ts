import { describe, expect, it } from 'vitest';
import { InfisicalError, type InfisicalErrorCode } from '../errors/infisical-error.js';
import {
  backoffDelay,
  cooldownDelay,
  DEFAULT_RETRY_OPTIONS,
  parseRetryAfter,
  resolveRetryOptions,
  shouldRetry,
} from './retry.js';

describe('DEFAULT_RETRY_OPTIONS / resolveRetryOptions', () => {
  it('has the documented defaults and is frozen', () => {
    expect(DEFAULT_RETRY_OPTIONS).toEqual({
      maxRetries: 3,
      baseDelayMs: 250,
      maxDelayMs: 8000,
      maxRetryAfterMs: 30_000,
      maxCooldownMs: 30_000,
    });
    expect(Object.isFrozen(DEFAULT_RETRY_OPTIONS)).toBe(true);
  });

  it('fills unset fields with the defaults', () => {
    expect(resolveRetryOptions()).toEqual(DEFAULT_RETRY_OPTIONS);
    expect(resolveRetryOptions({ maxRetries: 0, maxDelayMs: undefined })).toEqual({
      ...DEFAULT_RETRY_OPTIONS,
      maxRetries: 0,
    });
    expect(resolveRetryOptions({ baseDelayMs: 10, maxRetryAfterMs: 0 })).toMatchObject({
      baseDelayMs: 10,
      maxRetryAfterMs: 0,
    });
  });

  it.each([
    [{ maxRetries: -1 }, 'retry.maxRetries must be an integer from 0 to 10'],
    [{ maxRetries: 1.5 }, 'retry.maxRetries must be an integer from 0 to 10'],
    [{ maxRetries: 1000 }, 'retry.maxRetries must be an integer from 0 to 10'],
    [{ baseDelayMs: Number.NaN }, 'retry.baseDelayMs must be a number of milliseconds from 0'],
    [{ maxDelayMs: Number.POSITIVE_INFINITY }, 'retry.maxDelayMs must be'],
    [{ maxDelayMs: 2 ** 31 }, 'to 2073600000 (24 days)'],
    [{ maxRetryAfterMs: 'soon' as unknown as number }, 'retry.maxRetryAfterMs must be'],
    [
      { maxRetires: 3 } as never,
      'Unknown option "maxRetires" in retry. Fix: did you mean "maxRetries"?',
    ],
  ])('rejects %j', (options, message) => {
    expect(() => resolveRetryOptions(options)).toThrow(message);
    try {
      resolveRetryOptions(options);
    } catch (error) {
      expect((error as InfisicalError).code).toBe('CONFIG_INVALID');
    }
  });
});

describe('cooldownDelay', () => {
  const options = { maxCooldownMs: 30_000 };

  it('holds back 1 s after a first failure, doubling per failure up to maxCooldownMs, with jitter', () => {
    const top = [1, 2, 3, 5, 6, 20].map((failures) => cooldownDelay(failures, options, 0, () => 1));
    expect(top).toEqual([1000, 2000, 4000, 16_000, 30_000, 30_000]);
    expect(cooldownDelay(1, options, 0, () => 0)).toBe(500);
  });

  it("waits at least the server's Retry-After, and never above maxCooldownMs; 0 turns it off", () => {
    expect(cooldownDelay(1, options, 60_000, () => 0)).toBe(30_000);
    expect(cooldownDelay(1, options, 7000, () => 0)).toBe(7000);
    expect(cooldownDelay(3, { maxCooldownMs: 0 }, 7000)).toBe(0);
  });
});

describe('backoffDelay', () => {
  const options = { baseDelayMs: 250, maxDelayMs: 8000 };

  it('doubles the ceiling per retry up to maxDelayMs', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 10].map((attempt) =>
      backoffDelay(attempt, options, () => 1),
    );
    expect(ceilings).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('applies full jitter between 0 and the ceiling', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(0);
    expect(backoffDelay(2, options, () => 0.5)).toBe(500);
    expect(backoffDelay(20, options, () => 0.25)).toBe(2000);
  });

  it('uses Math.random by default and stays within the ceiling', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const delay = backoffDelay(attempt, options);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(8000, 250 * 2 ** attempt));
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('5', undefined, now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', undefined, now)).toBe(0);
    expect(parseRetryAfter('1.5', undefined, now)).toBe(1500);
  });

  it('reads an HTTP-date relative to now', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:42 GMT', undefined, now)).toBe(42_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', undefined, now)).toBe(0);
  });

  it("falls back to Infisical's rate-limit message", () => {
    const message = 'Rate limit exceeded. Please try again in 17 seconds';
    expect(parseRetryAfter(null, message, now)).toBe(17_000);
    expect(parseRetryAfter('', message, now)).toBe(17_000);
    expect(parseRetryAfter('soon', message, now)).toBe(17_000);
    expect(parseRetryAfter(null, 'Please try again in 1 second', now)).toBe(1000);
    expect(parseRetryAfter(null, 'Rate limit exceeded, retry in 1 minute', now)).toBe(60_000);
  });

  it('prefers the header over the message', () => {
    expect(parseRetryAfter('3', 'Please try again in 60 seconds', now)).toBe(3000);
  });

  it('returns undefined when the server did not say', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('-1', undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', 'Too many requests', now)).toBeUndefined();
    expect(parseRetryAfter(null, [{ message: 'try again in 3 seconds' }], now)).toBeUndefined();
  });
});

describe('shouldRetry', () => {
  const httpError = (status: number, code: InfisicalErrorCode): InfisicalError =>
    new InfisicalError(code, 'x', { status });
  const network = new InfisicalError('NETWORK_ERROR', 'x');
  const timeout = new InfisicalError('TIMEOUT', 'x');

  it('retries reads on network errors, timeouts, 429 and 5xx', () => {
    const get = { method: 'GET' };
    expect(shouldRetry(network, get)).toBe(true);
    expect(shouldRetry(timeout, get)).toBe(true);
    expect(shouldRetry(httpError(429, 'RATE_LIMITED'), get)).toBe(true);
    expect(shouldRetry(httpError(500, 'SERVER_ERROR'), get)).toBe(true);
    expect(shouldRetry(httpError(503, 'SERVER_ERROR'), get)).toBe(true);
    expect(shouldRetry(httpError(504, 'SERVER_ERROR'), get)).toBe(true);
  });

  it('treats a write marked idempotent as a read', () => {
    const put = { method: 'PATCH', idempotent: true };
    expect(shouldRetry(network, put)).toBe(true);
    expect(shouldRetry(httpError(502, 'SERVER_ERROR'), put)).toBe(true);
  });

  it('retries writes only on 429', () => {
    for (const method of ['POST', 'PATCH', 'DELETE']) {
      expect(shouldRetry(httpError(429, 'RATE_LIMITED'), { method })).toBe(true);
      expect(shouldRetry(network, { method })).toBe(false);
      expect(shouldRetry(timeout, { method })).toBe(false);
      expect(shouldRetry(httpError(500, 'SERVER_ERROR'), { method })).toBe(false);
      expect(shouldRetry(httpError(503, 'SERVER_ERROR'), { method })).toBe(false);
    }
    expect(shouldRetry(network, { method: 'GET', idempotent: false })).toBe(false);
  });

  it('never retries other 4xx or crypto/config errors', () => {
    const get = { method: 'GET' };
    expect(shouldRetry(httpError(400, 'VALIDATION_FAILED'), get)).toBe(false);
    expect(shouldRetry(httpError(401, 'UNAUTHORIZED'), get)).toBe(false);
    expect(shouldRetry(httpError(401, 'VALIDATION_FAILED'), get)).toBe(false);
    expect(shouldRetry(httpError(403, 'PERMISSION_DENIED'), get)).toBe(false);
    expect(shouldRetry(httpError(404, 'NOT_FOUND'), get)).toBe(false);
    expect(shouldRetry(httpError(409, 'CONFLICT'), get)).toBe(false);
    expect(shouldRetry(httpError(422, 'VALIDATION_FAILED'), get)).toBe(false);
    expect(shouldRetry(httpError(200, 'HTTP_ERROR'), get)).toBe(false);
    expect(shouldRetry(new InfisicalError('CONFIG_INVALID', 'x'), get)).toBe(false);
  });
});
