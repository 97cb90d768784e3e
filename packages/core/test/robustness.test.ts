/**
 * The client under faults and hostile input, against the emulator: a read with a cached value
 * never waits on a refetch, a failing or rate-limiting server is not hammered, hooks cannot
 * break the client, a failing store, a write or a failing login loses no value, close() ends
 * what is in flight, and malformed options are refused with the fix.
 */
import type { Emulator } from '@infisical/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type CacheStore,
  InfisicalClient,
  type InfisicalClientOptions,
  type InfisicalError,
} from '../src/index.ts';
import {
  byVersion,
  clientFor,
  LIST,
  LOGIN,
  PROJECT_ID,
  RENEW,
  startCoreEmulator,
} from './helpers.ts';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startCoreEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rotate = (key: string, value: string) =>
  emulator.setSecret({ project: 'core-tests', environment: 'dev', key, value });
/** Reads `key` in a loop for `ms`, counting reads that failed. */
async function readFor(client: InfisicalClient, key: string, ms: number): Promise<number> {
  let failed = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await client.getSecret(key).catch(() => failed++);
    await sleep(2);
  }
  return failed;
}

describe('stale-while-revalidate', () => {
  it('answers a read with a cached value at once while Infisical hangs', async () => {
    const client = clientFor(emulator, { cacheTtl: 0.1 });
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    await sleep(150);
    emulator.injectFault({ route: LIST, latencyMs: 3000 });
    const started = performance.now();
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    expect((await client.listSecrets()).length).toBeGreaterThan(50);
    expect(performance.now() - started).toBeLessThan(100);
    client.close();
  });
});

describe('cooldown', () => {
  it('sends a failing server one probe per growing cooldown, not a request per read', async () => {
    const errors: InfisicalError[] = [];
    const client = clientFor(emulator, {
      cacheTtl: 0.05,
      retry: { baseDelayMs: 20, maxDelayMs: 40, maxCooldownMs: 30_000 },
      onError: (error) => errors.push(error),
    });
    await client.getSecret('DB_HOST');
    emulator.clearRequests();
    emulator.injectFault({ route: LIST, status: 500 });
    expect(await readFor(client, 'DB_HOST', 2500)).toBe(0);
    // 4 attempts of the first refetch, then single probes after 0.5–1 s and 1–2 s.
    expect(emulator.requestCount(LIST)).toBeLessThanOrEqual(7);
    expect(errors.some((error) => (error.details as { cooldown?: boolean })?.cooldown)).toBe(true);
    emulator.clearFaults();
    rotate('DB_HOST', 'after-outage');
    await vi.waitFor(
      async () => expect((await client.getSecret('DB_HOST')).value).toBe('after-outage'),
      { timeout: 8000, interval: 100 },
    );
    client.close();
  });

  it('does not take Retry-After: 0 as "retry at once"', async () => {
    const client = clientFor(emulator, {
      retry: { baseDelayMs: 100, maxDelayMs: 400, maxCooldownMs: 30_000 },
    });
    await client.listSecrets();
    emulator.clearRequests();
    emulator.injectFault({ route: LIST, retryAfter: 0 });
    const end = Date.now() + 1500;
    while (Date.now() < end) {
      await client.refresh();
      await sleep(5);
    }
    expect(emulator.requestCount(LIST)).toBeLessThanOrEqual(5);
    client.close();
  });

  it('remembers a Retry-After longer than it waits, and sends nothing until it has passed', async () => {
    const errors: InfisicalError[] = [];
    const client = clientFor(emulator, {
      retry: { maxRetryAfterMs: 5000, maxCooldownMs: 60_000 },
      onError: (error) => errors.push(error),
    });
    await client.listSecrets();
    emulator.clearRequests();
    emulator.injectFault({ route: LIST, retryAfter: 60, times: 1 });
    await client.refresh();
    // 2024-10 answers a limited request with 500 and the limiter's headers; newest with 429.
    expect(errors[0]).toMatchObject({
      code: 'RATE_LIMITED',
      status: byVersion({ latest: 429, '2024-10': 500 }),
    });
    expect(errors[0]?.retryAfterMs).toBeGreaterThanOrEqual(59_000);
    await client.refresh();
    await client.refresh();
    expect(emulator.requestCount(LIST)).toBe(1);
    expect(errors[2]).toMatchObject({ code: 'RATE_LIMITED', details: { cooldown: true } });
    expect(errors[2]?.retryAfterMs).toBeGreaterThan(55_000);
    // Folders count against the same rate-limit category as secrets (Infisical's secretsLimit).
    await expect(client.listFolders()).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { cooldown: true },
    });
    expect(emulator.requestCount('GET /api/v1/folders')).toBe(0);
    client.close();
  });
});

describe('hostile option values', () => {
  const base = (): InfisicalClientOptions => ({
    siteUrl: emulator.url,
    auth: { accessToken: 'static-token-fake-0001' },
    env: {},
  });

  it.each([
    [
      { refreshInterval: 2 ** 31 / 1000 },
      'refreshInterval must be a number of seconds from 0 to 2073600 (24 days)',
    ],
    [{ cacheTtl: 2_592_000 }, 'cacheTtl must be a number of seconds from 0 to 2073600'],
    [{ timeout: 2 ** 31 }, 'timeout must be a number of milliseconds above 0 to 2073600000'],
    [{ retry: { maxDelayMs: 2 ** 31 } }, 'retry.maxDelayMs must be a number of milliseconds'],
    [
      { env: { INFISICAL_CACHE_TTL: '9999999999' } },
      'INFISICAL_CACHE_TTL must be a number of seconds',
    ],
    [
      { siteURL: 'https://eu.infisical.com' },
      'Unknown option "siteURL" in InfisicalClient options. Fix: did you mean "siteUrl"?',
    ],
    [{ cacheTTL: 60 }, 'did you mean "cacheTtl"?'],
    [
      { retry: { maxRetires: 1 } },
      'Unknown option "maxRetires" in retry. Fix: did you mean "maxRetries"?',
    ],
    [
      { auth: { universalAuth: { clientID: 'a', clientSecret: 'b' } } },
      'Unknown option "clientID" in auth.universalAuth. Fix: did you mean "clientId"?',
    ],
    [
      { auth: { universalauth: { clientId: 'a', clientSecret: 'b' } } },
      'unknown auth method "universalauth" (did you mean "universalAuth"?)',
    ],
    [{ debug: 'yes' }, 'debug must be true or false'],
    [{ staleWhileRevalidate: 1 }, 'staleWhileRevalidate must be true or false'],
    [{ env: { INFISICAL_DEBUG: '1' } }, 'INFISICAL_DEBUG must be true or false'],
    [
      { siteUrl: 'https://app.infisical.com/api' },
      "siteUrl ends in /api, but the client adds /api/... to it. Fix: pass the instance's base URL without /api, such as https://app.infisical.com.",
    ],
    [
      { siteUrl: 'https://key:secret-value@app.infisical.com' },
      'siteUrl must not contain credentials',
    ],
    [{ siteUrl: 'ftp://app.infisical.com' }, 'siteUrl must use http or https'],
  ])('refuses %j with CONFIG_INVALID naming the fix', (options, message) => {
    let error: InfisicalError | undefined;
    try {
      new InfisicalClient({ ...base(), ...(options as InfisicalClientOptions) });
    } catch (caught) {
      error = caught as InfisicalError;
    }
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(error?.message).toContain(message);
    expect(error?.message).not.toContain('secret-value');
  });

  it('takes the string "false" as false, never as true', async () => {
    const lines: string[] = [];
    const original = console.debug;
    console.debug = (line: string) => lines.push(line);
    try {
      const client = clientFor(emulator, {
        debug: 'false' as unknown as boolean,
        env: { INFISICAL_DEBUG: 'false' },
      });
      await client.getSecret('DB_HOST');
    } finally {
      console.debug = original;
    }
    expect(lines).toEqual([]);
  });
});

describe('hooks and listeners', () => {
  it('reports a throwing onChange and survives a throwing onError: rotation goes on, nothing unhandled', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const onError = vi.fn(() => {
        throw new Error('onError is broken');
      });
      const client = clientFor(emulator, { onError });
      const seen = vi.fn();
      client.onChange(() => {
        throw new Error('listener bug');
      });
      client.onChange(async () => {
        throw new Error('async listener bug');
      });
      client.onChange(seen);
      await client.listSecrets();
      rotate('DB_PORT', '1111');
      await client.refresh();
      rotate('DB_PORT', '2222');
      await client.refresh();
      await sleep(20);
      expect(seen).toHaveBeenCalledTimes(2);
      expect((await client.getSecret('DB_PORT')).value).toBe('2222');
      expect(onError).toHaveBeenCalledWith(
        expect.objectContaining({
          code: 'INTERNAL_ERROR',
          message: expect.stringContaining('onChange listener'),
        }),
      );
      client.close();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
    expect(unhandled).not.toHaveBeenCalled();
  });
});

describe('no value lost', () => {
  it('degrades a failing cache store to memory with one warning', async () => {
    const store: CacheStore<never> = {
      get: () => {
        throw new Error('store down');
      },
      set: async () => {
        throw new Error('store down');
      },
      delete: () => undefined,
      clear: () => undefined,
    };
    const errors: InfisicalError[] = [];
    const client = clientFor(emulator, { cacheStore: store, onError: (e) => errors.push(e) });
    for (let i = 0; i < 5; i++) expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    expect(emulator.requestCount(LIST)).toBe(1);
    expect(errors.map((error) => error.code)).toEqual(['STORE_FAILED']);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const silent = clientFor(emulator, { cacheStore: store });
      await silent.getSecret('DB_HOST');
      await silent.getSecret('DB_PORT');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain('keeps its folders in memory');
    } finally {
      warn.mockRestore();
    }
  });

  it('keeps the stale fallback of a folder after a write', async () => {
    const errors: InfisicalError[] = [];
    const client = clientFor(emulator, {
      retry: { maxRetries: 0 },
      onError: (error) => errors.push(error),
    });
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    await client.createSecret('WRITTEN', { value: 'fake-written' });
    emulator.injectFault({ route: LIST, status: 503 });
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    expect(errors).toEqual([expect.objectContaining({ code: 'SERVER_ERROR' })]);
    emulator.clearFaults();
    expect((await client.getSecret('WRITTEN')).value).toBe('fake-written');
  });

  it('uses a still-valid token until it expires when renewal and login both fail', {
    timeout: 15_000,
  }, async () => {
    const errors: InfisicalError[] = [];
    const client = clientFor(emulator, {
      cacheTtl: 0,
      auth: { universalAuth: { clientId: 'short-id', clientSecret: 'short-secret-fake' } },
      onError: (error) => errors.push(error),
    });
    expect((await client.getSecret('DB_PORT')).value).toBe('5432');
    await sleep(1600); // past 3/4 of the 2 s token: due for renewal
    emulator.injectFault({ route: RENEW, status: 500 });
    emulator.injectFault({ route: LOGIN, status: 500 });
    rotate('DB_PORT', '6543');
    expect((await client.getSecret('DB_PORT')).value).toBe('6543');
    expect(errors).toEqual([]);
    // Not retried on every request meanwhile.
    const attempts = emulator.requestCount(RENEW) + emulator.requestCount(LOGIN);
    await client.getSecret('DB_PORT');
    await client.getSecret('DB_PORT');
    expect(emulator.requestCount(RENEW) + emulator.requestCount(LOGIN)).toBe(attempts);
    client.close();
  });

  it('close() aborts requests in flight, and refuses later ones', async () => {
    const client = clientFor(emulator);
    emulator.injectFault({ route: LIST, latencyMs: 5000 });
    const pending = client.listSecrets().catch((error: unknown) => error);
    await vi.waitFor(() => expect(emulator.requestCount(LOGIN)).toBe(1));
    await sleep(50);
    const started = Date.now();
    client.close();
    expect(await pending).toMatchObject({ code: 'CLOSED' });
    expect(Date.now() - started).toBeLessThan(500);
    await expect(client.listSecrets({ path: '/nested' })).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('a client of another project', () => {
  it('keeps each folder query apart: tag filters, flags and paths have their own cache key', async () => {
    const client = clientFor(emulator);
    const plain = await client.listSecrets();
    const raw = await client.listSecrets({ expandSecretReferences: false });
    const nested = await client.listSecrets({ path: '/nested', projectId: PROJECT_ID });
    expect(plain.find((s) => s.key === 'DATABASE_URL')?.value).not.toContain('${');
    expect(raw.find((s) => s.key === 'DATABASE_URL')?.value).toContain('${');
    expect(nested.map((s) => s.key)).toEqual(['NESTED_ONLY']);
    expect(emulator.requestCount(LIST)).toBe(3);
  });
});
