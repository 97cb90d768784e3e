import type { Emulator } from '@infisical/emulator';
import { DEMO_CREDENTIALS, DEMO_PROJECT_ID, infisicalEnv, startDemoEmulator } from 'test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const SESSION_SECRET = 'demo-session-secret-3f9a1c';
const LOGIN_ROUTE = 'POST /api/v1/auth/universal-auth/login';
const LIST_ROUTE = 'GET /api/v3/secrets/raw';
const STATE = Symbol.for('@infisical/next.runtime');

/** A fresh copy of the module, as another bundle of the same app would load it. */
const freshRuntime = async () => {
  vi.resetModules();
  return import('../src/runtime.ts');
};

describe('@infisical/next/runtime', () => {
  let emulator: Emulator;
  let options: Record<string, unknown>;
  let savedEnv: Record<string, string | undefined>;

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    options = {
      siteUrl: emulator.url,
      auth: { universalAuth: DEMO_CREDENTIALS },
      projectId: DEMO_PROJECT_ID,
      environment: 'dev',
    };
  });
  afterAll(() => emulator?.close());

  beforeEach(() => {
    savedEnv = { ...process.env };
    emulator.reset();
  });
  afterEach(async () => {
    const realm = globalThis as Record<symbol, { close(): Promise<void> } | undefined>;
    await realm[STATE]?.close();
    delete realm[STATE];
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    emulator.clearFaults();
  });

  it('register() loads once at start, into process.env, and getSecret reads it', async () => {
    const { register, getSecret, getSecrets } = await freshRuntime();
    await register(options);
    expect(process.env.SESSION_SECRET).toBe(SESSION_SECRET);
    expect(await getSecret('SESSION_SECRET')).toBe(SESSION_SECRET);
    expect(await getSecrets()).toMatchObject({ SESSION_SECRET, DB_HOST: 'localhost' });
    expect(emulator.requestCount(LIST_ROUTE)).toBe(1);
  });

  it('validates required keys at start, naming them', async () => {
    const { register } = await freshRuntime();
    await expect(
      register({ ...options, required: ['SESSION_SECRET', 'NOT_THERE'] }),
    ).rejects.toMatchObject({
      code: 'MISSING_SECRETS',
      message: expect.stringContaining('NOT_THERE'),
    });
  });

  it('refuses an unknown option, naming the nearest valid one, and keeps no handle', async () => {
    const { register, getSecret } = await freshRuntime();
    await expect(register({ ...options, cacheTTL: 1 } as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('did you mean "cacheTtl"'),
    });
    await register(options);
    expect(await getSecret('SESSION_SECRET')).toBe(SESSION_SECRET);
  });

  it('shares one load between copies of the module (globalThis)', async () => {
    const first = await freshRuntime();
    await first.register(options);
    const second = await freshRuntime();
    expect(second).not.toBe(first);
    expect(await second.getSecret('SESSION_SECRET')).toBe(SESSION_SECRET);
    expect(emulator.requestCount(LOGIN_ROUTE)).toBe(1);
    expect(emulator.requestCount(LIST_ROUTE)).toBe(1);
  });

  it('follows a rotation after cacheTtl, in getSecret and process.env', async () => {
    const { register, getSecret } = await freshRuntime();
    await register({ ...options, cacheTtl: 1 });
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'SESSION_SECRET',
      value: 'rotated-session-secret',
    });
    expect(await getSecret('SESSION_SECRET')).toBe(SESSION_SECRET);
    // core's refresh (every cacheTtl by default), or a read of the stale folder, refetches.
    await vi.waitFor(
      async () => expect(await getSecret('SESSION_SECRET')).toBe('rotated-session-secret'),
      { timeout: 5000, interval: 100 },
    );
    expect(process.env.SESSION_SECRET).toBe('rotated-session-secret');
  });

  it('keeps serving the last good values when a refetch fails', async () => {
    const onError = vi.fn();
    const { register, getSecret } = await freshRuntime();
    await register({ ...options, cacheTtl: 1, retry: { maxRetries: 0 }, onError });
    emulator.injectFault({ route: LIST_ROUTE, status: 503 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await getSecret('SESSION_SECRET')).toBe(SESSION_SECRET);
    // The refetch runs in the background (the read above did not wait), and the refresh timer is
    // jittered to 0.8–1.2 × cacheTtl: wait for its failure to be reported.
    await vi.waitFor(
      () => expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'SERVER_ERROR' })),
      { timeout: 5000, interval: 50 },
    );
    expect(await getSecret('SESSION_SECRET')).toBe(SESSION_SECRET);
  });

  it("getSecret: core's MISSING_SECRETS for an absent key, never NOT_FOUND", async () => {
    const { register, getSecret } = await freshRuntime();
    await register(options);
    await expect(getSecret('NOT_THERE')).rejects.toMatchObject({
      name: 'InfisicalError',
      code: 'MISSING_SECRETS',
      details: { missing: ['NOT_THERE'] },
      message: expect.stringMatching(/^Secret is missing: NOT_THERE\. Fix: /),
    });
    await expect(getSecret('toString')).rejects.toMatchObject({ code: 'MISSING_SECRETS' });
  });

  it('refreshSecrets() applies a rotation now; onSecretsChange hears key names', async () => {
    const { register, getSecret, getSecrets, onSecretsChange, refreshSecrets } =
      await freshRuntime();
    await register({ ...options, refreshInterval: false });
    const heard: unknown[] = [];
    const unsubscribe = onSecretsChange((change) => heard.push(change));
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'APP_NAME',
      value: 'Renamed',
    });
    await refreshSecrets();
    expect(await getSecret('APP_NAME')).toBe('Renamed');
    expect((await getSecrets()).APP_NAME).toBe('Renamed');
    expect(heard).toEqual([
      { added: [], changed: ['APP_NAME'], removed: [], publicChanged: false },
    ]);
    unsubscribe();
  });

  it('closeSecrets() drops the handle: the next register() loads with its own options', async () => {
    const { register, getSecret, closeSecrets } = await freshRuntime();
    await register(options);
    await closeSecrets();
    await expect(register({ ...options, environment: 'prod' })).resolves.toBeUndefined();
    expect(await getSecret('SESSION_SECRET')).toBe('prod-session-secret-fake');
  });

  it('without register(), the first access loads from the INFISICAL_* variables', async () => {
    Object.assign(process.env, infisicalEnv(emulator));
    const { getSecret } = await freshRuntime();
    expect(await getSecret('NEXT_PUBLIC_GREETING')).toBe(
      'Hello from Infisical, through Next.js (dev)',
    );
    expect(process.env.SESSION_SECRET).toBeUndefined();
  });

  it('register() is a no-op on the Edge runtime; access there loads on first use', async () => {
    Object.assign(process.env, infisicalEnv(emulator), { NEXT_RUNTIME: 'edge' });
    const { register, getSecret } = await freshRuntime();
    await register({ required: ['NOT_THERE'] });
    expect(emulator.requestCount()).toBe(0);
    expect(await getSecret('SESSION_SECRET')).toBe(SESSION_SECRET);
  });

  it("a failed load is retried by a later access, once the handle's cooldown has passed", async () => {
    const { register, getSecret } = await freshRuntime();
    emulator.injectFault({ route: LOGIN_ROUTE, status: 503, times: 1 });
    await expect(register({ ...options, retry: { maxRetries: 0 } })).rejects.toMatchObject({
      code: 'SERVER_ERROR',
    });
    // Within the cooldown: the same error at once, Infisical not asked again.
    await expect(getSecret('SESSION_SECRET')).rejects.toMatchObject({
      code: 'SERVER_ERROR',
      retryAfterMs: expect.any(Number),
    });
    expect(emulator.requestCount(LOGIN_ROUTE)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await getSecret('SESSION_SECRET')).toBe(SESSION_SECRET);
  });
});
