import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@infisical/emulator';
import { type } from 'arktype';
import * as v from 'valibot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type InfisicalError, type LoadedSecrets, loadSecrets } from '../src/index.ts';
import { scanFilesForLeaks } from '../src/node.ts';
import { LIST, PROJECT_ID, startCoreEmulator } from './helpers.ts';

let emulator: Emulator;
const opened: LoadedSecrets[] = [];
beforeAll(async () => {
  emulator = await startCoreEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(() => {
  for (const loaded of opened.splice(0)) {
    for (const key of Object.keys(loaded.values)) delete process.env[key];
    loaded.close();
  }
});

const base = () => ({
  siteUrl: emulator.url,
  auth: { universalAuth: { clientId: 'app-id', clientSecret: 'app-secret-fake' } },
  projectId: PROJECT_ID,
  environment: 'dev',
  env: {},
});
const load = async (options: Parameters<typeof loadSecrets>[0] = {}) => {
  const loaded = await loadSecrets({ ...base(), ...options });
  opened.push(loaded);
  return loaded;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('loadSecrets', () => {
  it('loads a snapshot and tells public keys (prefix or allowlist) from private ones', async () => {
    const loaded = await load({ publicPrefixes: ['VITE_'], publicKeys: ['DB_PORT'] });
    expect(loaded.source).toBe('infisical');
    expect(loaded.values.DATABASE_URL).toBe('postgres://app:fake-db-password-1@localhost:5432/app');
    expect(loaded.publicValues).toEqual({ VITE_PUBLIC_TITLE: 'Core tests', DB_PORT: '5432' });
    expect(loaded.privateValues.DB_PASSWORD).toBe('fake-db-password-1');
    expect(loaded.isPublic('VITE_X')).toBe(true);
    expect(loaded.isPublic('DB_HOST')).toBe(false);
  });

  it('injects into process.env without overwriting, unless asked', async () => {
    process.env.DB_HOST = 'preset-host';
    await load({ injectEnv: true });
    expect(process.env.DB_HOST).toBe('preset-host');
    expect(process.env.DB_PASSWORD).toBe('fake-db-password-1');
    await load({ injectEnv: true, overrideEnv: true });
    expect(process.env.DB_HOST).toBe('localhost');
  });

  it('fails on missing required keys, naming them and no value', async () => {
    const error = (await load({ required: ['DB_HOST', 'MISSING_ONE', 'MISSING_TWO'] }).catch(
      (e: unknown) => e,
    )) as InfisicalError;
    expect(error).toMatchObject({
      code: 'MISSING_SECRETS',
      details: { missing: ['MISSING_ONE', 'MISSING_TWO'] },
    });
    expect(error.message).toContain('MISSING_ONE, MISSING_TWO');
    expect(error.message).not.toContain('localhost');
  });

  const schemas = {
    zod: z.object({
      DB_PORT: z.coerce.number().int(),
      DB_PASSWORD: z.string().min(64),
      DB_HOST: z.enum(['nowhere']),
    }),
    valibot: v.object({
      DB_PORT: v.pipe(v.string(), v.transform(Number)),
      DB_PASSWORD: v.pipe(v.string(), v.minLength(64)),
      DB_HOST: v.picklist(['nowhere']),
    }),
    arktype: type({
      DB_PORT: 'string.numeric.parse',
      DB_PASSWORD: 'string >= 64',
      DB_HOST: "'nowhere'",
    }),
  };
  for (const [vendor, schema] of Object.entries(schemas)) {
    it(`validates with a Standard Schema (${vendor}), naming keys and never values`, async () => {
      const error = (await load({ schema }).catch((e: unknown) => e)) as InfisicalError;
      expect(error.code).toBe('SCHEMA_INVALID');
      expect(error.message).toContain('DB_PASSWORD');
      expect(error.message).toContain('DB_HOST');
      const everything = `${error.message} ${JSON.stringify(error)}`;
      expect(everything).not.toContain('fake-db-password-1');
      expect(everything).not.toContain('localhost');
    });
  }

  it('returns the schema output as parsed', async () => {
    const loaded = await load({ schema: z.object({ DB_PORT: z.coerce.number() }) });
    expect(loaded.parsed).toEqual({ DB_PORT: 5432 });
  });

  it('follows rotation: values, env and listeners update; a bad rotation keeps the last good values', async () => {
    const errors: unknown[] = [];
    const loaded = await load({
      injectEnv: true,
      publicPrefixes: ['VITE_'],
      required: ['DB_PASSWORD'],
      refreshInterval: 0.2,
      onError: (e) => errors.push(e),
    });
    const changes: unknown[] = [];
    loaded.subscribe((change) => changes.push(change));
    emulator.setSecret({
      project: 'core-tests',
      environment: 'dev',
      key: 'VITE_PUBLIC_TITLE',
      value: 'New title',
    });
    await sleep(600);
    expect(loaded.values.VITE_PUBLIC_TITLE).toBe('New title');
    expect(process.env.VITE_PUBLIC_TITLE).toBe('New title');
    expect(changes).toContainEqual({
      added: [],
      changed: ['VITE_PUBLIC_TITLE'],
      removed: [],
      publicChanged: true,
    });

    emulator.setSecret({
      project: 'core-tests',
      environment: 'dev',
      key: 'DB_PASSWORD',
      value: '',
    });
    await sleep(600);
    expect(loaded.values.DB_PASSWORD).toBe('fake-db-password-1');
    expect(errors).toContainEqual(expect.objectContaining({ code: 'MISSING_SECRETS' }));
  });

  it('falls back to the environment when Infisical is down at load, if asked', async () => {
    emulator.injectFault({ route: LIST, status: 503 });
    const options = { retry: { maxRetries: 0 }, required: ['FALLBACK_ONLY'] };
    await expect(load(options)).rejects.toMatchObject({ code: 'SERVER_ERROR' });
    process.env.FALLBACK_ONLY = 'from-env';
    try {
      const errors: unknown[] = [];
      const loaded = await load({
        ...options,
        fallbackToEnv: true,
        onError: (e) => errors.push(e),
      });
      expect(loaded.source).toBe('env-fallback');
      expect(errors).toHaveLength(1);
      delete process.env.FALLBACK_ONLY;
      await expect(load({ ...options, fallbackToEnv: true })).rejects.toMatchObject({
        code: 'MISSING_SECRETS',
      });
    } finally {
      delete process.env.FALLBACK_ONLY;
    }
  });

  it('skips Infisical entirely in skip mode (a build without credentials)', async () => {
    const loaded = await load({ skip: true, auth: undefined });
    expect(loaded.source).toBe('skipped');
    expect(emulator.requestCount()).toBe(0);
    const fromEnv = await load({ env: { INFISICAL_SKIP: 'true' } });
    expect(fromEnv.source).toBe('skipped');
  });
});

describe('leak scanning', () => {
  it('finds private values (raw or escaped) in text and files, reporting keys and files only', async () => {
    const loaded = await load({ publicPrefixes: ['VITE_'] });
    expect(loaded.findLeaks('const title = "Core tests"; const port = 5432;')).toEqual([]);
    const findings = loaded.findLeaks(
      'x="postgres://app:fake-db-password-1@db.internal/app"; y="line\\nbreak"',
      'main.js',
    );
    expect(findings).toEqual([{ key: 'DB_PASSWORD', file: 'main.js' }]);
    emulator.setSecret({
      project: 'core-tests',
      environment: 'dev',
      key: 'MULTI_LINE',
      value: 'line\nbreak',
    });
    const again = await load({ publicPrefixes: ['VITE_'] });
    expect(again.findLeaks('y="line\\nbreak"').map((f) => f.key)).toEqual(['MULTI_LINE']);

    const dir = mkdtempSync(join(tmpdir(), 'leaks-'));
    try {
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log("fake-api-token-v3")');
      writeFileSync(join(dir, 'index.html'), '<h1>Core tests</h1>');
      writeFileSync(join(dir, 'image.png'), 'fake-api-token-v3');
      const inFiles = await scanFilesForLeaks(dir, loaded.privateValues, {
        publicValues: Object.values(loaded.publicValues),
      });
      expect(inFiles).toEqual([{ key: 'API_TOKEN', file: join('assets', 'index-abc.js') }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('read()', () => {
  it('returns current values through the cache TTL, and the last good values when Infisical is down', async () => {
    const errors: unknown[] = [];
    const loaded = await load({
      cacheTtl: 1,
      onError: (e) => errors.push(e),
      retry: { maxRetries: 0 },
    });
    emulator.setSecret({
      project: 'core-tests',
      environment: 'dev',
      key: 'DB_HOST',
      value: 'read-rotated',
    });
    expect((await loaded.read()).DB_HOST).toBe('localhost');
    await sleep(1100);
    expect((await loaded.read()).DB_HOST).toBe('read-rotated');
    emulator.injectFault({ route: LIST, status: 503 });
    await sleep(1100);
    expect((await loaded.read()).DB_HOST).toBe('read-rotated');
    expect(errors).toContainEqual(expect.objectContaining({ code: 'SERVER_ERROR' }));
  });
});
