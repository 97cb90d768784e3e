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
    const loaded = await (globalThis as Record<symbol, Promise<{ close(): void }>>)[STATE];
    loaded?.close();
    delete (globalThis as Record<symbol, unknown>)[STATE];
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
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await getSecret('SESSION_SECRET')).toBe('rotated-session-secret');
    expect(process.env.SESSION_SECRET).toBe('rotated-session-secret');
  });

  it('keeps serving the last good values when a refetch fails', async () => {
    const onError = vi.fn();
    const { register, getSecret } = await freshRuntime();
    await register({ ...options, cacheTtl: 1, retry: { maxRetries: 0 }, onError });
    emulator.injectFault({ route: LIST_ROUTE, status: 503 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await getSecret('SESSION_SECRET')).toBe(SESSION_SECRET);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'SERVER_ERROR' }));
  });

  it('getSecret: MISSING_SECRETS for an unknown key, CONFIG_INVALID for no name', async () => {
    const { register, getSecret } = await freshRuntime();
    await register(options);
    await expect(getSecret('NOT_THERE')).rejects.toMatchObject({
      name: 'InfisicalError',
      code: 'MISSING_SECRETS',
      message: expect.stringMatching(/^Secret NOT_THERE is not loaded\. Fix: /),
    });
    await expect(getSecret('')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
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

  it('a failed load is not kept: the next access tries again', async () => {
    const { register, getSecret } = await freshRuntime();
    await expect(
      register({
        ...options,
        auth: { universalAuth: { clientId: 'demo-client-id', clientSecret: 'wrong' } },
      }),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    Object.assign(process.env, infisicalEnv(emulator));
    expect(await getSecret('SESSION_SECRET')).toBe(SESSION_SECRET);
  });
});
