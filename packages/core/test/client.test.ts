import { inspect } from 'node:util';
import type { Emulator } from '@infisical/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InfisicalClient, InfisicalError } from '../src/index.ts';
import { byVersion, clientFor, LIST, LOGIN, PROJECT_ID, startCoreEmulator } from './helpers.ts';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startCoreEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('reads', () => {
  it('logs in lazily: nothing at construction, then exactly login + list for a cold read', async () => {
    const client = clientFor(emulator);
    expect(emulator.requestCount()).toBe(0);
    const secret = await client.getSecret('DB_HOST');
    expect(secret).toMatchObject({
      key: 'DB_HOST',
      value: 'localhost',
      type: 'shared',
      environment: 'dev',
      path: '/',
    });
    expect(emulator.requests().counts).toEqual({ [LOGIN]: 1, [LIST]: 1 });
  });

  it('serves 50 keys of one folder from one list request', async () => {
    const client = clientFor(emulator);
    for (let i = 0; i < 50; i++)
      expect((await client.getSecret(`KEY_${i}`)).value).toBe(`fake-value-${i}`);
    expect(emulator.requestCount(LIST)).toBe(1);
  });

  it('shares one login and one list among 1,000 concurrent cold reads', async () => {
    const client = clientFor(emulator);
    const reads = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => client.getSecret(`KEY_${i % 50}`)),
    );
    expect(reads[999]?.value).toBe('fake-value-49');
    expect(emulator.requests().counts).toEqual({ [LOGIN]: 1, [LIST]: 1 });
  });

  it('merges imports by the canonical rule: local wins, last import wins', async () => {
    const client = clientFor(emulator);
    const secrets = await client.listSecrets();
    const byKey = Object.fromEntries(secrets.map((s) => [s.key, s]));
    expect(byKey.SHADOWED?.value).toBe('local-wins');
    expect(byKey.BOTH_IMPORTS).toMatchObject({
      value: 'last-import-wins',
      imported: { environment: 'prod', path: '/shared' },
    });
    expect(byKey.ONLY_STAGING?.value).toBe('staging-only');
    expect(byKey.DATABASE_URL?.value).toBe('postgres://app:fake-db-password-1@localhost:5432/app');
    expect((await client.getSecret('BOTH_IMPORTS')).value).toBe('last-import-wins');
    const noImports = await client.listSecrets({ includeImports: false });
    expect(noImports.some((s) => s.key === 'ONLY_STAGING')).toBe(false);
    const raw = await client.listSecrets({ expandSecretReferences: false });
    expect(raw.find((s) => s.key === 'DATABASE_URL')?.value).toContain('${DB_PASSWORD}');
  });

  it('lists recursively and by path', async () => {
    const client = clientFor(emulator);
    expect(
      (await client.listSecrets({ recursive: true })).find((s) => s.key === 'NESTED_ONLY')?.path,
    ).toBe('/nested');
    expect((await client.listSecrets({ path: 'nested/' })).map((s) => s.key)).toEqual([
      'NESTED_ONLY',
    ]);
  });

  it('gives users their personal override in lists, and in getSecret only when asked', async () => {
    const dana = clientFor(emulator, {
      auth: { universalAuth: { clientId: 'dana-id', clientSecret: 'dana-secret-fake' } },
    });
    const secrets = await dana.listSecrets();
    expect(secrets.find((s) => s.key === 'DB_HOST')).toMatchObject({
      value: 'dana-laptop',
      type: 'personal',
    });
    expect((await dana.getSecret('DB_HOST')).value).toBe('localhost');
    expect((await dana.getSecret('DB_HOST', { type: 'personal' })).value).toBe('dana-laptop');
    await expect(dana.getSecret('DB_PORT', { type: 'personal' })).rejects.toMatchObject({
      code: 'MISSING_SECRETS',
      details: { missing: ['DB_PORT'] },
    });
  });

  it('reads a past version from the server, or fails with UNSUPPORTED_BY_SERVER where it ignores version (2024-10)', async () => {
    const client = clientFor(emulator);
    const past = client.getSecret('API_TOKEN', { version: 1 });
    await byVersion({
      latest: () => expect(past).resolves.toMatchObject({ value: 'fake-api-token-v1', version: 1 }),
      '2024-10': () => expect(past).rejects.toMatchObject({ code: 'UNSUPPORTED_BY_SERVER' }),
    })();
    // A version past the newest: newest servers 404; 2024-10 answers the current row (version 3).
    await expect(client.getSecret('API_TOKEN', { version: 9 })).rejects.toMatchObject(
      byVersion({
        latest: { code: 'NOT_FOUND', status: 404 },
        '2024-10': { code: 'UNSUPPORTED_BY_SERVER', details: { asked: 9, answered: 3 } },
      }),
    );
  });

  it('answers MISSING_SECRETS for a missing key, or the environment variable with fallbackToEnv', async () => {
    const client = clientFor(emulator, { env: { ONLY_IN_ENV: 'from-env' } });
    const error = await client.getSecret('NOPE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfisicalError);
    expect(error).toMatchObject({ code: 'MISSING_SECRETS', details: { missing: ['NOPE'] } });
    expect((error as Error).message).toContain('"NOPE"');
    expect(await client.getSecret('ONLY_IN_ENV', { fallbackToEnv: true })).toMatchObject({
      value: 'from-env',
      fromEnv: true,
      version: 0,
    });
    await expect(client.getSecret('NOT_ANYWHERE', { fallbackToEnv: true })).rejects.toMatchObject({
      code: 'MISSING_SECRETS',
    });
  });

  it('maps a missing folder to NOT_FOUND (newest servers) and an empty 200 (2024 servers) to no secrets', async () => {
    const client = clientFor(emulator);
    const missing = client.listSecrets({ path: '/no/such' });
    await byVersion({
      latest: () => expect(missing).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 }),
      '2024-10': () => expect(missing).resolves.toEqual([]),
    })();
    emulator.injectFault({
      route: LIST,
      status: 200,
      body: { secrets: [], imports: [] },
      times: 1,
    });
    expect(await clientFor(emulator).listSecrets({ path: '/also/missing' })).toEqual([]);
  });

  it('attaches to process.env without overwriting', async () => {
    process.env.DB_PORT = 'preset';
    delete process.env.DB_HOST;
    try {
      await clientFor(emulator).listSecrets({ injectEnv: true });
      expect(process.env.DB_HOST).toBe('localhost');
      expect(process.env.DB_PORT).toBe('preset');
    } finally {
      for (const secret of await clientFor(emulator).listSecrets()) delete process.env[secret.key];
    }
  });
});

describe('options', () => {
  it('refuses unknown option names of calls, naming the nearest one or the new name', async () => {
    const client = clientFor(emulator);
    await expect(client.listSecrets({ attachToProcessEnv: true } as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message:
        'Unknown option "attachToProcessEnv" in listSecrets options. Fix: "attachToProcessEnv" was renamed: use "injectEnv".',
    });
    await expect(client.getSecret('DB_HOST', { pth: '/nested' } as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('did you mean "path"?'),
    });
    await expect(
      client.createSecret('X', { value: 'v', comments: 'c' } as never),
    ).rejects.toMatchObject({ message: expect.stringContaining('did you mean "comment"?') });
    expect(emulator.requestCount()).toBe(0);
  });

  it('needs a project and environment, from options or the environment', async () => {
    const client = new InfisicalClient({
      siteUrl: emulator.url,
      auth: { accessToken: 'static-token-fake-0001' },
      env: {},
    });
    await expect(client.listSecrets()).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const fromEnv = new InfisicalClient({
      env: {
        INFISICAL_SITE_URL: emulator.url,
        INFISICAL_TOKEN: 'static-token-fake-0001',
        INFISICAL_PROJECT_ID: PROJECT_ID,
        INFISICAL_ENVIRONMENT: 'dev',
      },
    });
    expect((await fromEnv.getSecret('DB_PORT')).value).toBe('5432');
  });

  it('refuses unusable options with typed errors', () => {
    expect(() => new InfisicalClient({ env: {} })).toThrow(
      expect.objectContaining({ code: 'CREDENTIALS_UNAVAILABLE' }),
    );
    expect(
      () =>
        new InfisicalClient({
          auth: { universalAuth: { clientId: '', clientSecret: 'x' } },
          env: {},
        }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(
      () => new InfisicalClient({ auth: { accessToken: 't' }, cacheTtl: -1, env: {} }),
    ).toThrow(/cacheTtl/);
    expect(
      () => new InfisicalClient({ auth: { accessToken: 't' }, siteUrl: 'ftp://x', env: {} }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('never shows tokens or values in inspect, JSON or debug logs', async () => {
    const lines: string[] = [];
    const client = clientFor(emulator, {
      debug: { debug: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`) },
    });
    const values = (await client.listSecrets()).map((s) => s.value);
    await client.getSecret('DB_PASSWORD');
    const shown = [
      inspect(client, { depth: 10, showHidden: true }),
      JSON.stringify(client),
      ...lines,
    ].join('\n');
    expect(shown).toContain('universal-auth');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [
      'app-secret-fake',
      'fake-db-password-1',
      'eyJ',
      ...values.filter((v) => v.length > 5),
    ]) {
      expect(shown).not.toContain(secret);
    }
  });
});
