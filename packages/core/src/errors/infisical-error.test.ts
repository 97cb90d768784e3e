import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { InfisicalError, isInfisicalError } from './infisical-error.js';

const SECRET = 'sk_live_hunter2_DO_NOT_LEAK';

function expectNoSecret(error: InfisicalError): void {
  expect(error.message).not.toContain(SECRET);
  expect(JSON.stringify(error)).not.toContain(SECRET);
  expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain(SECRET);
  expect(inspect(error.details, { depth: Number.POSITIVE_INFINITY })).not.toContain(SECRET);
}

describe('InfisicalError', () => {
  it('carries code, name, request context and an ES2022 cause', () => {
    const cause = new TypeError('fetch failed');
    const error = new InfisicalError('NETWORK_ERROR', 'Could not reach Infisical', {
      cause,
      status: 502,
      requestId: 'req-1',
      method: 'GET',
      path: '/api/v3/secrets/raw',
      details: { attempts: 2 },
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(InfisicalError);
    expect(error.name).toBe('InfisicalError');
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toBe('Could not reach Infisical');
    expect(error.cause).toBe(cause);
    expect(error.status).toBe(502);
    expect(error.requestId).toBe('req-1');
    expect(error.method).toBe('GET');
    expect(error.path).toBe('/api/v3/secrets/raw');
    expect(error.details).toEqual({ attempts: 2 });
    expect(error.stack?.split('\n')[0]).toBe('InfisicalError: Could not reach Infisical');
  });

  it('leaves optional fields undefined and has no cause when none is given', () => {
    const error = new InfisicalError('CONFIG_INVALID', 'siteUrl is required');
    expect(error.status).toBeUndefined();
    expect(error.requestId).toBeUndefined();
    expect(error.method).toBeUndefined();
    expect(error.path).toBeUndefined();
    expect(error.details).toBeUndefined();
    expect('cause' in error).toBe(false);
  });

  it('never keeps a query string in path', () => {
    const error = new InfisicalError('NOT_FOUND', 'x', {
      path: `/api/v3/secrets/raw?token=${SECRET}`,
    });
    expect(error.path).toBe('/api/v3/secrets/raw');
    expectNoSecret(error);
  });

  it('serialises every field and the cause chain, without stacks; foreign causes as name and message', () => {
    const error = new InfisicalError('SERVER_ERROR', 'Refetch failed', {
      cause: new InfisicalError('TIMEOUT', 'Infisical did not answer in time', {
        cause: Object.assign(new TypeError('fetch failed'), { secretish: SECRET }),
        method: 'GET',
        path: '/api/v3/secrets/raw',
      }),
      status: 503,
      requestId: 'req-9',
      details: { attempts: 4 },
      retryAfterMs: 1500,
    });
    expect(error.toJSON()).toEqual({
      name: 'InfisicalError',
      code: 'SERVER_ERROR',
      message: 'Refetch failed',
      status: 503,
      requestId: 'req-9',
      method: undefined,
      path: undefined,
      details: { attempts: 4 },
      retryAfterMs: 1500,
      cause: {
        name: 'InfisicalError',
        code: 'TIMEOUT',
        message: 'Infisical did not answer in time',
        status: undefined,
        requestId: undefined,
        method: 'GET',
        path: '/api/v3/secrets/raw',
        details: undefined,
        retryAfterMs: undefined,
        cause: { name: 'TypeError', message: 'fetch failed' },
      },
    });
    const text = JSON.stringify(error);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('stack');
    expect(
      JSON.stringify(new InfisicalError('INTERNAL_ERROR', 'x', { cause: SECRET })),
    ).not.toContain(SECRET);
  });

  it('stops a cyclic cause chain', () => {
    const first = new InfisicalError('SERVER_ERROR', 'first');
    const second = new InfisicalError('SERVER_ERROR', 'second', { cause: first });
    Object.defineProperty(first, 'cause', { value: second });
    expect(() => JSON.stringify(second)).not.toThrow();
  });

  it('does not show the brand in util.inspect', () => {
    const error = new InfisicalError('CRYPTO_ERROR', 'bad key');
    expect(inspect(error)).not.toContain('@infisical/core.error');
    expect(inspect(error)).toContain('[CRYPTO_ERROR]');
  });
});

describe('InfisicalError.from', () => {
  it('returns Infisical errors as they are, from any copy of the package', async () => {
    const error = new InfisicalError('TIMEOUT', 'x');
    expect(InfisicalError.from(error)).toBe(error);
    vi.resetModules();
    const copy = await import('./infisical-error.js');
    const foreign = new copy.InfisicalError('NOT_FOUND', 'y');
    expect(InfisicalError.from(foreign)).toBe(foreign);
  });

  it('restores an error from its JSON, after a thread or process boundary, whole', () => {
    const original = new InfisicalError('RATE_LIMITED', 'Slow down', {
      cause: new InfisicalError('RATE_LIMITED', 'inner', {
        cause: new RangeError('deep'),
        status: 429,
      }),
      status: 429,
      requestId: 'req-7',
      method: 'GET',
      path: '/api/v3/secrets/raw',
      details: { attempts: 4 },
      retryAfterMs: 60_000,
    });
    const restored = InfisicalError.from(structuredClone(JSON.parse(JSON.stringify(original))));
    expect(restored).toBeInstanceOf(InfisicalError);
    expect(restored.toJSON()).toEqual(original.toJSON());
    const inner = restored.cause as InfisicalError;
    expect(inner).toBeInstanceOf(InfisicalError);
    expect(inner).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(inner.cause).toBeInstanceOf(Error);
    expect(inner.cause).toMatchObject({ name: 'RangeError', message: 'deep' });
  });

  it('wraps anything else as INTERNAL_ERROR with the original as cause, never copying its message', () => {
    const thrown = new TypeError(`bad ${SECRET}`);
    const error = InfisicalError.from(thrown, 'An onChange listener threw.');
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', cause: thrown });
    expect(error.message).toMatch(/^An onChange listener threw \(TypeError\)\. Fix:/);
    expect(error.message).not.toContain(SECRET);
    for (const value of [SECRET, 42, null, undefined, { code: 'TIMEOUT' }]) {
      const wrapped = InfisicalError.from(value);
      expect(wrapped.code).toBe('INTERNAL_ERROR');
      expect(`${wrapped.message}${JSON.stringify(wrapped)}`).not.toContain(SECRET);
    }
    // A look-alike whose code is not a code is not restored; a newer copy's code is.
    expect(InfisicalError.from({ name: 'InfisicalError', code: 'nope', message: 'm' }).code).toBe(
      'INTERNAL_ERROR',
    );
    expect(
      InfisicalError.from({ name: 'InfisicalError', code: 'NEWER_CODE', message: 'm' }).code,
    ).toBe('NEWER_CODE');
  });
});

describe('isInfisicalError', () => {
  it('recognises instances and rejects look-alikes', () => {
    expect(isInfisicalError(new InfisicalError('TIMEOUT', 'x'))).toBe(true);
    expect(isInfisicalError(new Error('x'))).toBe(false);
    expect(isInfisicalError({ name: 'InfisicalError', code: 'TIMEOUT' })).toBe(false);
    expect(isInfisicalError(null)).toBe(false);
    expect(isInfisicalError(undefined)).toBe(false);
    expect(isInfisicalError('InfisicalError')).toBe(false);
  });

  it('recognises errors from a duplicate copy of the package', async () => {
    vi.resetModules();
    const copy = await import('./infisical-error.js');
    expect(copy.InfisicalError).not.toBe(InfisicalError);
    const foreign = new copy.InfisicalError('NOT_FOUND', 'x');
    expect(foreign).not.toBeInstanceOf(InfisicalError);
    expect(isInfisicalError(foreign)).toBe(true);
    expect(copy.isInfisicalError(new InfisicalError('NOT_FOUND', 'x'))).toBe(true);
  });
});

describe('InfisicalError inspection', () => {
  it('shows code, message, context and a one-line cause, without stack frames', async () => {
    const { inspect } = await import('node:util');
    const cause = new TypeError('fetch failed');
    const error = new InfisicalError('NETWORK_ERROR', 'Could not reach Infisical.', {
      cause,
      status: 502,
      requestId: 'req-1',
    });
    const shown = inspect(error);
    expect(shown).toBe(
      'InfisicalError [NETWORK_ERROR]: Could not reach Infisical. (status 502, request req-1)\n  cause: TypeError: fetch failed',
    );
    expect(shown).not.toMatch(/\n\s+at /);
    expect(inspect(new InfisicalError('CONFIG_INVALID', 'Bad option.'))).toBe(
      'InfisicalError [CONFIG_INVALID]: Bad option.',
    );
  });
});
