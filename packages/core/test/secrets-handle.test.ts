import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { Emulator } from '@infisical/emulator';
import { type } from 'arktype';
import * as v from 'valibot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  createLeakScanner,
  createSecrets,
  InfisicalClient,
  type InfisicalError,
  loadSecrets,
  type Secrets,
  type SecretsOptions,
} from '../src/index.ts';
import { scanDirectory } from '../src/node.ts';
import { FAST_RETRY, LIST, PROJECT_ID, startCoreEmulator } from './helpers.ts';

let emulator: Emulator;
const opened: Secrets<string, unknown>[] = [];
beforeAll(async () => {
  emulator = await startCoreEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(async () => {
  for (const handle of opened.splice(0)) {
    for (const key of Object.keys(handle.values)) Reflect.deleteProperty(process.env, key);
    await handle.close();
  }
});

const base = (): SecretsOptions => ({
  siteUrl: emulator.url,
  auth: { universalAuth: { clientId: 'app-id', clientSecret: 'app-secret-fake' } },
  projectId: PROJECT_ID,
  environment: 'dev',
  env: {},
  refreshInterval: 0,
  retry: FAST_RETRY,
});
const track = <H extends Secrets<string, unknown>>(handle: H): H => {
  opened.push(handle);
  return handle;
};
const load = async (options: SecretsOptions = {}) =>
  track(await loadSecrets({ ...base(), ...options }));
const create = (options: SecretsOptions = {}) => track(createSecrets({ ...base(), ...options }));
const rotate = (key: string, value: string) =>
  emulator.setSecret({ project: 'core-tests', environment: 'dev', key, value });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('expected a failure'),
    (error: unknown) => error as InfisicalError,
  );

describe('loadSecrets', () => {
  it('loads a snapshot and tells public keys (prefix or allowlist) from private ones', async () => {
    const loaded = await load({ publicPrefixes: ['VITE_'], publicKeys: ['DB_PORT'] });
    expect(loaded.source).toBe('infisical');
    expect(loaded.state).toBe('ready');
    expect(loaded.values.DATABASE_URL).toBe('postgres://app:fake-db-password-1@localhost:5432/app');
    expect({ ...loaded.publicValues }).toEqual({
      VITE_PUBLIC_TITLE: 'Core tests',
      DB_PORT: '5432',
    });
    expect(loaded.privateValues.DB_PASSWORD).toBe('fake-db-password-1');
    expect(loaded.isPublic('VITE_X')).toBe(true);
    expect(loaded.isPublic('DB_HOST')).toBe(false);
    expect(loaded.get('DB_HOST')).toBe('localhost');
    expect(loaded.getOrThrow('DB_HOST')).toBe('localhost');
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
    const error = await failure(load({ required: ['DB_HOST', 'MISSING_ONE', 'MISSING_TWO'] }));
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
    it(`validates with a Standard Schema (${vendor}): key and issue only, never any part of a value`, async () => {
      const error = await failure(load({ schema }));
      expect(error.code).toBe('SCHEMA_INVALID');
      expect(error.message).toMatch(/DB_PASSWORD: \w+/);
      expect(error.message).toMatch(/DB_HOST: \w+/);
      const shown = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 9 })}`;
      // Whole, escaped, or cut short: none of it.
      for (const value of ['fake-db-password-1', 'localhost']) {
        expect(shown).not.toContain(value);
        expect(shown).not.toContain(JSON.stringify(value));
        expect(shown).not.toContain(value.slice(0, 6));
      }
      expect(error.details).toEqual({
        issues: expect.arrayContaining([expect.objectContaining({ key: 'DB_PASSWORD' })]),
      });
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
      onError: (e) => errors.push(e),
    });
    const changes: unknown[] = [];
    loaded.subscribe((change) => changes.push(change));
    rotate('VITE_PUBLIC_TITLE', 'New title');
    await loaded.refresh();
    expect(loaded.values.VITE_PUBLIC_TITLE).toBe('New title');
    expect(process.env.VITE_PUBLIC_TITLE).toBe('New title');
    expect(changes).toEqual([
      { added: [], changed: ['VITE_PUBLIC_TITLE'], removed: [], publicChanged: true },
    ]);

    rotate('DB_PASSWORD', '');
    await loaded.refresh();
    expect(loaded.values.DB_PASSWORD).toBe('fake-db-password-1');
    expect(errors).toContainEqual(expect.objectContaining({ code: 'MISSING_SECRETS' }));
  });

  it('follows rotation on the refresh timer', async () => {
    const loaded = await load({ refreshInterval: 0.2 });
    const seen = vi.fn();
    loaded.onChange(seen);
    rotate('DB_PORT', '6543');
    await vi.waitFor(() => expect(seen).toHaveBeenCalled(), { timeout: 3000 });
    expect(loaded.get('DB_PORT')).toBe('6543');
  });

  it('closes the client it created when the load fails', async () => {
    emulator.injectFault({ route: LIST, status: 503 });
    await expect(load({ retry: { ...FAST_RETRY, maxRetries: 0 } })).rejects.toMatchObject({
      code: 'SERVER_ERROR',
    });
  });
});

describe('the environment instead of Infisical: only the declared keys', () => {
  const env = {
    FALLBACK_ONLY: 'from-env',
    VITE_FROM_ENV: 'public-from-env',
    PATH: '/usr/bin',
    HOME: '/home/someone',
    SCHEMA_KEY: 'schema-from-env',
  };

  it('falls back when Infisical is down at load, if asked, with required, schema and public keys only', async () => {
    emulator.injectFault({ route: LIST, status: 503 });
    const options: SecretsOptions = {
      retry: { ...FAST_RETRY, maxRetries: 0 },
      required: ['FALLBACK_ONLY'],
      publicKeys: ['VITE_FROM_ENV'],
      schema: z.object({ SCHEMA_KEY: z.string(), FALLBACK_ONLY: z.string() }),
      env,
    };
    await expect(load(options)).rejects.toMatchObject({ code: 'SERVER_ERROR' });
    const errors: unknown[] = [];
    const loaded = await load({ ...options, fallbackToEnv: true, onError: (e) => errors.push(e) });
    expect(loaded.source).toBe('env-fallback');
    expect({ ...loaded.values }).toEqual({
      FALLBACK_ONLY: 'from-env',
      VITE_FROM_ENV: 'public-from-env',
      SCHEMA_KEY: 'schema-from-env',
    });
    expect(loaded.get('PATH')).toBeUndefined();
    expect({ ...loaded.publicValues }).toEqual({ VITE_FROM_ENV: 'public-from-env' });
    expect(errors).toEqual([expect.objectContaining({ code: 'SERVER_ERROR' })]);
    await expect(
      load({ ...options, env: {}, schema: undefined, fallbackToEnv: true }),
    ).rejects.toMatchObject({ code: 'MISSING_SECRETS' });
  });

  it('skips Infisical entirely in skip mode, and INFISICAL_SKIP accepts only true or false', async () => {
    const loaded = await load({ skip: true, auth: undefined, required: ['HOME'], env });
    expect(loaded.source).toBe('skipped');
    expect({ ...loaded.values }).toEqual({ HOME: '/home/someone' });
    expect(emulator.requestCount()).toBe(0);
    const fromEnv = await load({ env: { INFISICAL_SKIP: 'TRUE' } });
    expect(fromEnv.source).toBe('skipped');
    expect(() => create({ env: { INFISICAL_SKIP: 'yes' } })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('INFISICAL_SKIP must be true or false'),
      }),
    );
  });

  it('takes the string "false" as false (a skip: "false" loads and checks)', async () => {
    const loaded = await load({ skip: 'false' as unknown as boolean });
    expect(loaded.source).toBe('infisical');
    expect(() => create({ skip: 'no' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

describe('ready(): the first load, retried with a bounded backoff', () => {
  it('does nothing until asked, then loads once for concurrent callers', async () => {
    const handle = create();
    expect(handle.state).toBe('idle');
    expect(handle.values).toEqual({});
    expect(handle.get('DB_HOST')).toBeUndefined();
    expect(() => handle.getOrThrow('DB_HOST')).toThrow(
      expect.objectContaining({ code: 'NOT_READY' }),
    );
    expect(() => handle.parsed).toThrow(expect.objectContaining({ code: 'NOT_READY' }));
    expect(emulator.requestCount()).toBe(0);
    const loading = Promise.all([handle.ready(), handle.ready(), handle.read()]);
    expect(handle.state).toBe('loading');
    await loading;
    expect(handle.state).toBe('ready');
    expect(emulator.requestCount(LIST)).toBe(1);
  });

  it('after a failure rejects at once with the last error and retryAfterMs, then tries again once the backoff passed', async () => {
    emulator.injectFault({ route: LIST, status: 503 });
    const handle = create({ retry: { ...FAST_RETRY, maxRetries: 0, maxCooldownMs: 400 } });
    const first = await failure(handle.ready());
    expect(first).toMatchObject({ code: 'SERVER_ERROR', status: 503 });
    expect(first.retryAfterMs).toBeGreaterThanOrEqual(200);
    expect(handle.state).toBe('failed');
    expect(handle.lastError).toBe(first);
    const early = await failure(handle.ready());
    expect(early).toMatchObject({ code: 'SERVER_ERROR' });
    expect(early.retryAfterMs).toBeGreaterThan(0);
    expect(early.retryAfterMs).toBeLessThanOrEqual(first.retryAfterMs as number);
    expect(emulator.requestCount(LIST)).toBe(1);
    emulator.clearFaults();
    await new Promise((resolve) => setTimeout(resolve, first.retryAfterMs));
    await handle.ready();
    expect(handle.state).toBe('ready');
    expect(handle.lastError).toBeUndefined();
    expect(emulator.requestCount(LIST)).toBe(2);
  });

  it('close() during a hanging first load ends it with CLOSED, at once', async () => {
    emulator.injectFault({ route: LIST, latencyMs: 5000 });
    const handle = create();
    const loading = failure(handle.ready());
    await vi.waitFor(() => expect(emulator.requests().log.length).toBeGreaterThan(0));
    const started = Date.now();
    await handle.close();
    expect(await loading).toMatchObject({ code: 'CLOSED' });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(handle.ready()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('values', () => {
  it('hold any key, __proto__ included; absent keys are absent', async () => {
    rotate('__proto__', 'fake-proto-value');
    rotate('constructor', 'fake-constructor-value');
    const loaded = await load({ injectEnv: true });
    expect(loaded.get('__proto__')).toBe('fake-proto-value');
    expect(Object.keys(loaded.values)).toContain('__proto__');
    expect(Object.getPrototypeOf(loaded.values)).toBeNull();
    expect(Object.isFrozen(loaded.values)).toBe(true);
    expect(loaded.get('constructor')).toBe('fake-constructor-value');
    expect(Object.getOwnPropertyDescriptor(process.env, '__proto__')?.value).toBe(
      'fake-proto-value',
    );
    expect(loaded.get('toString')).toBeUndefined();
    expect(loaded.values.hasOwnProperty).toBeUndefined();
    expect(loaded.findLeaks('x = "fake-proto-value"').map((f) => f.key)).toEqual(['__proto__']);
    expect(() => loaded.getOrThrow('toString')).toThrow(
      expect.objectContaining({ code: 'MISSING_SECRETS', details: { missing: ['toString'] } }),
    );
    await expect(load({ required: ['toString', 'valueOf'] })).rejects.toMatchObject({
      code: 'MISSING_SECRETS',
      details: { missing: ['toString', 'valueOf'] },
    });
  });

  it('redact themselves: JSON.stringify and util.inspect of the handle show no value', async () => {
    const loaded = await load();
    const shown = `${JSON.stringify(loaded)} ${inspect(loaded, { depth: 10, showHidden: true })} ${String(loaded)}`;
    expect(JSON.parse(JSON.stringify(loaded))).toEqual({
      state: 'ready',
      source: 'infisical',
      size: Object.keys(loaded.values).length,
    });
    for (const value of Object.values(loaded.values)) {
      if (value.length > 4) expect(shown).not.toContain(value);
    }
  });

  it('of two handles on one client stay apart, tag filters included', async () => {
    const tagged = await startCoreEmulator({
      projects: [
        {
          slug: 'tags',
          id: 'tags-project-0001',
          tags: [{ slug: 'web' }, { slug: 'jobs' }],
          environments: [
            {
              slug: 'dev',
              secrets: {
                '/': {
                  WEB_ONLY: { value: 'fake-web', tags: ['web'] },
                  JOB_ONLY: { value: 'fake-job', tags: ['jobs'] },
                },
              },
            },
          ],
        },
      ],
      identities: [
        {
          name: 'app',
          universalAuth: { clientId: 'tag-id', clientSecret: 'tag-secret-fake' },
          projects: { tags: 'admin' },
        },
      ],
    });
    try {
      const client = new InfisicalClient({
        siteUrl: tagged.url,
        auth: { universalAuth: { clientId: 'tag-id', clientSecret: 'tag-secret-fake' } },
        projectId: 'tags-project-0001',
        environment: 'dev',
        env: {},
        refreshInterval: 0,
      });
      const web = track(await loadSecrets({ client, tagSlugs: ['web'] }));
      const jobs = track(await loadSecrets({ client, tagSlugs: ['jobs'] }));
      const webChanges = vi.fn();
      web.subscribe(webChanges);
      tagged.setSecret({
        project: 'tags',
        environment: 'dev',
        key: 'JOB_ONLY',
        value: 'fake-job-2',
      });
      await client.refresh();
      expect({ ...web.values }).toEqual({ WEB_ONLY: 'fake-web' });
      expect({ ...jobs.values }).toEqual({ JOB_ONLY: 'fake-job-2' });
      expect(webChanges).not.toHaveBeenCalled();
      client.close();
    } finally {
      await tagged.close();
    }
  });
});

describe('read() and listeners', () => {
  it('answers at once from the cache while Infisical hangs, and revalidates in the background', async () => {
    const loaded = await load({ cacheTtl: 0.2, timeout: 10_000 });
    rotate('DB_HOST', 'read-rotated');
    await new Promise((resolve) => setTimeout(resolve, 300));
    emulator.injectFault({ route: LIST, latencyMs: 1500, times: 1 });
    const started = performance.now();
    expect((await loaded.read()).DB_HOST).toBe('localhost');
    expect(performance.now() - started).toBeLessThan(200);
    await vi.waitFor(async () => expect((await loaded.read()).DB_HOST).toBe('read-rotated'), {
      timeout: 5000,
    });
  });

  it('isolates a throwing listener and a throwing onError: reported, rotation goes on', async () => {
    const onError = vi.fn(() => {
      throw new Error('onError is broken too');
    });
    const loaded = await load({ onError });
    const after = vi.fn();
    loaded.subscribe(() => {
      throw new Error('listener bug');
    });
    loaded.subscribe(after);
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      rotate('DB_PORT', '1111');
      await loaded.refresh();
      rotate('DB_PORT', '2222');
      await loaded.refresh();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
    expect(after).toHaveBeenCalledTimes(2);
    expect(loaded.get('DB_PORT')).toBe('2222');
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({
        code: 'INTERNAL_ERROR',
        message: expect.stringContaining('listener'),
      }),
    );
    expect(unhandled).not.toHaveBeenCalled();
  });
});

describe('options', () => {
  it.each([
    [
      { siteURL: 'http://x' },
      'Unknown option "siteURL" in loadSecrets options. Fix: did you mean "siteUrl"?',
    ],
    [{ cacheTTL: 5 }, 'did you mean "cacheTtl"?'],
    [
      { retry: { maxRetires: 2 } },
      'Unknown option "maxRetires" in retry. Fix: did you mean "maxRetries"?',
    ],
    [{ injectENV: true }, 'did you mean "injectEnv"?'],
    [
      { refreshInterval: 2 ** 31 / 1000 },
      'refreshInterval must be a number of seconds from 0 to 2073600 (24 days)',
    ],
    [{ cacheTtl: 2_592_000 * 10 }, 'cacheTtl must be a number of seconds'],
    [{ timeout: 2 ** 31 }, 'timeout must be a number of milliseconds above 0'],
    [{ injectEnv: 'yes' }, 'injectEnv must be true or false'],
    [{ required: 'DB_HOST' }, 'required must be an array of strings'],
    [{ siteUrl: 'https://user:pass@example.com' }, 'siteUrl must not contain credentials'],
  ])('refuses %j with a typed error naming the fix', (options, message) => {
    expect(() => createSecrets({ ...base(), ...(options as SecretsOptions) })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('names siteUrl when it ends in /api', () => {
    expect(() => create({ siteUrl: `${emulator.url}/api/` })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(`siteUrl ends in /api, but the client adds /api/...`),
      }),
    );
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
    expect(findings).toMatchObject([
      { key: 'DB_PASSWORD', file: 'main.js', kind: 'secret', form: 'raw', line: 1, column: 19 },
    ]);
    rotate('MULTI_LINE', 'line\nbreak');
    const again = await load({ publicPrefixes: ['VITE_'] });
    expect(again.findLeaks('y="line\\nbreak"').map((f) => f.key)).toEqual(['MULTI_LINE']);

    const dir = mkdtempSync(join(tmpdir(), 'leaks-'));
    try {
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log("fake-api-token-v3")');
      writeFileSync(join(dir, 'index.html'), '<h1>Core tests</h1>');
      writeFileSync(join(dir, 'image.png'), 'fake-api-token-v3');
      const inFiles = await scanDirectory(dir, createLeakScanner(loaded.leakCheckValues()));
      expect(inFiles.findings.map(({ key, file }) => ({ key, file }))).toEqual([
        { key: 'API_TOKEN', file: join('assets', 'index-abc.js') },
        { key: 'API_TOKEN', file: 'image.png' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks the Infisical credentials too: the client secret, configured tokens and the access token held', async () => {
    const loaded = await load({
      env: { INFISICAL_TOKEN: 'fake-unused-service-token-4c1d' },
    });
    const values = loaded.leakCheckValues();
    expect(values.credentials.map((c) => c.label)).toEqual([
      'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET',
      'INFISICAL_TOKEN',
      'access token',
    ]);
    // The same object until something changes: scanners and redactors are rebuilt only then.
    expect(loaded.leakCheckValues()).toBe(values);
    const token = values.credentials[2]?.value as string;
    const basic = btoa('app-id:app-secret-fake');
    const findings = loaded.findLeaks(
      `fetch(u,{headers:{authorization:"Basic ${basic}"}}); t="${token}"; s="fake-unused-service-token-4c1d"`,
      'app.js',
    );
    expect(findings.map(({ key, kind, form }) => ({ key, kind, form }))).toEqual([
      { key: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET', kind: 'credential', form: 'base64' },
      { key: 'access token', kind: 'credential', form: 'raw' },
      { key: 'INFISICAL_TOKEN', kind: 'credential', form: 'raw' },
    ]);
    // Counts only, in JSON and util.inspect.
    const size = Object.keys(values.privateValues).length;
    expect(JSON.parse(JSON.stringify(values))).toEqual({
      private: size,
      public: 0,
      credentials: 3,
    });
    expect(inspect(values, { depth: 5 })).toBe(
      `LeakCheckValues { private: ${size}, public: 0, credentials: 3 }`,
    );
    expect(JSON.stringify(loaded)).not.toContain('app-secret-fake');
    expect(inspect(loaded, { depth: 5, showHidden: true })).not.toContain('app-secret-fake');

    rotate('DB_PASSWORD', 'fake-db-password-2');
    await loaded.refresh();
    expect(loaded.leakCheckValues()).not.toBe(values);
    expect(loaded.findLeaks('"fake-db-password-2"').map((f) => f.key)).toEqual(['DB_PASSWORD']);
  });
});

describe('redactLogs', () => {
  it('redacts console output from creation until close, following rotation', async () => {
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    try {
      const handle = create({ redactLogs: true });
      console.log('secret app-secret-fake');
      await handle.ready();
      console.log(`password ${handle.get('DB_PASSWORD')}`);
      console.log(new Error(`failed with ${handle.get('DB_PASSWORD')}`));
      rotate('DB_PASSWORD', 'fake-db-password-3');
      await handle.refresh();
      console.log('rotated fake-db-password-3');
      await handle.close();
      console.log('after close fake-db-password-3');
    } finally {
      log.mockRestore();
    }
    expect(printed[0]).toBe('secret [redacted:INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET]');
    expect(printed[1]).toBe('password [redacted:DB_PASSWORD]');
    expect(printed[2]).toMatch(/^Error: failed with \[redacted:DB_PASSWORD\]\n {4}at /);
    expect(printed[3]).toBe('rotated [redacted:DB_PASSWORD]');
    expect(printed[4]).toBe('after close fake-db-password-3');
  });

  it('is off by default, and refuses a value that is not a boolean', () => {
    const before = console.log;
    create();
    expect(console.log).toBe(before);
    expect(() => create({ redactLogs: 'yes' as never })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
