import type { Emulator } from '@infisical/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InfisicalClient, type InfisicalError } from '../src/index.ts';
import { clientFor, LIST, LOGIN, PROJECT_ID, RENEW, startCoreEmulator } from './helpers.ts';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startCoreEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rotate = (key: string, value: string) =>
  emulator.setSecret({ project: 'core-tests', environment: 'dev', key, value });

describe('cache', () => {
  it('serves from the cache until the TTL passes, then serves the stale value while it refetches', async () => {
    const client = clientFor(emulator, { cacheTtl: 1 });
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    rotate('DB_HOST', 'rotated-host');
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    await sleep(1100);
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    await vi.waitFor(async () =>
      expect((await client.getSecret('DB_HOST')).value).toBe('rotated-host'),
    );
    expect(emulator.requestCount(LIST)).toBe(2);
  });

  it('waits for the refetch of a stale folder when staleWhileRevalidate is off', async () => {
    const client = clientFor(emulator, { cacheTtl: 1, staleWhileRevalidate: false });
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    rotate('DB_HOST', 'rotated-host');
    await sleep(1100);
    expect((await client.getSecret('DB_HOST')).value).toBe('rotated-host');
  });

  it('with cacheTtl 0 fetches every read, still sharing concurrent ones', async () => {
    const client = clientFor(emulator, { cacheTtl: 0 });
    await client.getSecret('DB_HOST');
    await client.getSecret('DB_HOST');
    await Promise.all([client.getSecret('DB_HOST'), client.getSecret('DB_PORT')]);
    expect(emulator.requestCount(LIST)).toBe(3);
  });

  it('keeps serving the last values when a refetch fails, and reports the error', async () => {
    const errors: InfisicalError[] = [];
    const client = clientFor(emulator, {
      cacheTtl: 0,
      onError: (e) => errors.push(e),
      retry: { maxRetries: 0 },
    });
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    emulator.injectFault({ route: LIST, status: 503 });
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    expect(errors[0]).toMatchObject({ code: 'SERVER_ERROR', status: 503 });
    emulator.clearFaults();
    rotate('DB_HOST', 'after-outage');
    expect((await client.getSecret('DB_HOST')).value).toBe('after-outage');
  });

  it('fails a cold read when Infisical is down (nothing to serve)', async () => {
    emulator.injectFault({ route: LIST, status: 500 });
    const client = clientFor(emulator, { retry: { maxRetries: 1, baseDelayMs: 1 } });
    await expect(client.listSecrets()).rejects.toMatchObject({ code: 'SERVER_ERROR', status: 500 });
    expect(emulator.requestCount(LIST)).toBe(2);
  });

  it('emits change events on refresh() and on background refresh, then stops on close()', async () => {
    const client = clientFor(emulator, { cacheTtl: 300 });
    const changes: unknown[] = [];
    client.onChange((change) => changes.push(change));
    await client.listSecrets();
    await client.refresh();
    expect(changes).toEqual([]);
    rotate('DB_HOST', 'rotated-1');
    rotate('BRAND_NEW', 'fresh');
    await client.refresh();
    expect(changes).toMatchObject([
      {
        projectId: PROJECT_ID,
        environment: 'dev',
        path: '/',
        added: ['BRAND_NEW'],
        changed: ['DATABASE_URL', 'DB_HOST'],
        removed: [],
      },
    ]);

    const background = clientFor(emulator, { refreshInterval: 0.2 });
    const seen: string[][] = [];
    background.onChange((change) => seen.push(change.changed));
    await background.getSecret('DB_PORT');
    rotate('DB_PORT', '6543');
    await sleep(700);
    expect(seen).toContainEqual(['DATABASE_URL', 'DB_PORT']);
    expect((await background.getSecret('DB_PORT')).value).toBe('6543');
    background.close();
    const count = emulator.requestCount(LIST);
    await sleep(500);
    expect(emulator.requestCount(LIST)).toBe(count);
  });

  it('refetches in the background every cacheTtl by default (refreshInterval: true)', async () => {
    const client = clientFor(emulator, { cacheTtl: 0.2, refreshInterval: undefined });
    await client.listSecrets();
    await sleep(700);
    client.close();
    expect(emulator.requestCount(LIST)).toBeGreaterThanOrEqual(3);
  });

  it('with refreshInterval true, refetches in the background every cacheTtl', async () => {
    const client = clientFor(emulator, { cacheTtl: 0.2, refreshInterval: true });
    await client.listSecrets();
    await sleep(700);
    client.close();
    expect(emulator.requestCount(LIST)).toBeGreaterThanOrEqual(3);
  });
});

describe('retries', () => {
  it('retries reads on 5xx and connection resets, with bounded attempts', async () => {
    const client = clientFor(emulator);
    emulator.injectFault({ route: LIST, status: 502, times: 1 });
    emulator.injectFault({ route: LIST, reset: true, times: 1 });
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    expect(emulator.requestCount(LIST)).toBe(3);
  });

  it('honours Retry-After on 429', async () => {
    const client = clientFor(emulator);
    await client.listSecrets({ path: '/nested' });
    emulator.injectFault({ route: LIST, retryAfter: 1, times: 1 });
    const started = Date.now();
    await client.listSecrets();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a write on 5xx, but does on 429', async () => {
    const client = clientFor(emulator);
    await client.listSecrets();
    emulator.clearRequests();
    emulator.injectFault({ route: 'POST /api/v3/secrets/raw/:secretName', status: 500, times: 1 });
    await expect(client.createSecret('WRITE_ONCE', { value: 'x' })).rejects.toMatchObject({
      code: 'SERVER_ERROR',
    });
    expect(emulator.requestCount('POST /api/v3/secrets/raw/:secretName')).toBe(1);
    emulator.injectFault({
      route: 'POST /api/v3/secrets/raw/:secretName',
      retryAfter: 0,
      times: 1,
    });
    expect(await client.createSecret('WRITE_ONCE', { value: 'x' })).toMatchObject({
      key: 'WRITE_ONCE',
      version: 1,
    });
    expect(emulator.requestCount('POST /api/v3/secrets/raw/:secretName')).toBe(3);
  });

  it('times out a slow attempt', async () => {
    const client = clientFor(emulator, { timeout: 100, retry: { maxRetries: 0 } });
    await client.getSecret('DB_HOST');
    emulator.injectFault({ route: LIST, latencyMs: 400 });
    await expect(client.listSecrets({ path: '/nested' })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });
});

describe('tokens', () => {
  it('renews before expiry and logs in again when the max TTL is spent, without a failed request', async () => {
    // The client and the emulator (in this process) read one wall clock, so only `Date` is faked:
    // sockets and timers stay real while the clock moves 25 s a step. TTL 60 s, max TTL 112 s: the
    // client renews at 50 s (due at 45 s; 50 + 60 <= 112, so the server accepts) and, at 100 s,
    // with 12 s of budget left, logs in again instead of asking for a renew the server refuses.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const errors: unknown[] = [];
      const client = clientFor(emulator, {
        cacheTtl: 0,
        auth: { universalAuth: { clientId: 'short-id', clientSecret: 'short-secret-fake' } },
        onError: (e) => errors.push(e),
      });
      for (let i = 0; i < 16; i++) {
        expect((await client.getSecret('DB_PORT')).value).toBe('5432');
        vi.setSystemTime(Date.now() + 25_000);
      }
      const { counts, log } = emulator.requests();
      expect(errors).toEqual([]);
      expect(log.filter((entry) => entry.status >= 400)).toEqual([]);
      // 400 s: logins at 0, 100, 200 and 300 s, a renew 50 s after each.
      expect(counts[LOGIN]).toBe(4);
      expect(counts[RENEW]).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('logs in again once when the server rejects the token, then retries the request', async () => {
    const client = clientFor(emulator, { cacheTtl: 0 });
    await client.getSecret('DB_HOST');
    emulator.store.tokens.clear(); // every issued token is now unknown: 401 on use
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    expect(emulator.requestCount(LOGIN)).toBe(2);
  });

  it('reports a refused login as AUTH_FAILED without the secret', async () => {
    const client = clientFor(emulator, {
      auth: { universalAuth: { clientId: 'app-id', clientSecret: 'wrong-secret-value' } },
    });
    const error = (await client.listSecrets().catch((e: unknown) => e)) as InfisicalError;
    expect(error).toMatchObject({ code: 'AUTH_FAILED', status: 401 });
    expect(`${error.message}${JSON.stringify(error)}`).not.toContain('wrong-secret-value');
  });

  it('uses a static access token without logging in, and does not loop when it is refused', async () => {
    const client = new InfisicalClient({
      siteUrl: emulator.url,
      auth: { accessToken: 'static-token-fake-0001' },
      projectId: PROJECT_ID,
      environment: 'dev',
      env: {},
    });
    expect((await client.getSecret('DB_PORT')).value).toBe('5432');
    expect(emulator.requestCount(LOGIN)).toBe(0);
    const bad = new InfisicalClient({
      siteUrl: emulator.url,
      auth: { accessToken: 'not-a-valid-token' },
      projectId: PROJECT_ID,
      environment: 'dev',
      env: {},
    });
    await expect(bad.listSecrets()).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 403 });
    expect(emulator.requestCount(LIST)).toBe(2);
  });
});

describe('writes and permissions', () => {
  it('creates, updates, renames, deletes and batches; the cache sees writes', async () => {
    const client = clientFor(emulator);
    expect((await client.listSecrets()).some((s) => s.key === 'MADE')).toBe(false);
    expect(await client.createSecret('MADE', { value: ' v1 ', comment: 'by core' })).toMatchObject({
      key: 'MADE',
      value: 'v1',
      comment: 'by core',
      version: 1,
    });
    expect((await client.getSecret('MADE')).value).toBe('v1');
    expect(await client.updateSecret('MADE', { value: 'v2' })).toMatchObject({
      value: 'v2',
      version: 2,
    });
    expect(await client.updateSecret('MADE', { newName: 'RENAMED', value: 'v3' })).toMatchObject({
      key: 'RENAMED',
      version: 3,
    });
    expect((await client.deleteSecret('RENAMED')).key).toBe('RENAMED');
    await expect(client.getSecret('RENAMED')).rejects.toMatchObject({ code: 'MISSING_SECRETS' });

    const made = await client.createSecrets({
      secrets: [
        { key: 'B1', value: '1' },
        { key: 'B2', value: '2' },
      ],
    });
    expect(made.map((s) => s.key)).toEqual(['B1', 'B2']);
    const updated = await client.updateSecrets({
      mode: 'upsert',
      secrets: [
        { key: 'B1', value: 'one' },
        { key: 'B3', value: 'three' },
      ],
    });
    expect(updated.map((s) => [s.key, s.version])).toEqual([
      ['B1', 2],
      ['B3', 1],
    ]);
    expect((await client.deleteSecrets({ keys: ['B1', 'B2', 'B3'] })).length).toBe(3);
    await expect(client.createSecret('DB_HOST', { value: 'dup' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
    });
  });

  it('manages folders', async () => {
    const client = clientFor(emulator);
    expect((await client.createFolder('reports')).name).toBe('reports');
    expect((await client.listFolders()).map((f) => f.name)).toEqual(['nested', 'reports']);
    await client.deleteFolder('reports');
    expect((await client.listFolders()).map((f) => f.name)).toEqual(['nested']);
  });

  it('maps a viewer writing to PERMISSION_DENIED', async () => {
    const reader = clientFor(emulator, {
      auth: { universalAuth: { clientId: 'reader-id', clientSecret: 'reader-secret-fake' } },
    });
    expect((await reader.getSecret('DB_PORT')).value).toBe('5432');
    const error = (await reader
      .createSecret('NOPE', { value: 'x' })
      .catch((e: unknown) => e)) as InfisicalError;
    expect(error).toMatchObject({ code: 'PERMISSION_DENIED', status: 403 });
    expect(error.requestId).toMatch(/^req-/);
  });

  it('treats a 2024-style 401 ValidationFailure as a validation error, not a token problem', async () => {
    const client = clientFor(emulator);
    await client.listSecrets();
    emulator.injectFault({
      route: 'PATCH /api/v3/secrets/raw/:secretName',
      status: 401,
      times: 1,
      body: {
        statusCode: 401,
        message: [
          {
            code: 'invalid_type',
            expected: 'string',
            received: 'undefined',
            path: ['secretValue'],
            message: 'Required',
          },
        ],
        error: 'ValidationFailure',
      },
    });
    await expect(client.updateSecret('DB_HOST', { newName: 'X' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(emulator.requestCount(LOGIN)).toBe(1);
  });
});
