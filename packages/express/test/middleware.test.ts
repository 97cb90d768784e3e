import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { Emulator } from '@infisical/emulator';
import type { ErrorRequestHandler } from 'express';
import { freePort, startDemoEmulator } from 'test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type InfisicalError,
  type InfisicalExpressOptions,
  type InfisicalMiddleware,
  infisical,
  isInfisicalError,
  type SecretsChangeEvent,
  type SecretsUnavailableError,
} from '../src/index.ts';
import {
  DEMO_VALUES,
  demoOptions,
  eventually,
  LIST,
  LOGIN,
  sleep,
  startApp,
  type TestApp,
} from './helpers.ts';

let emulator: Emulator;
const cleanups: (() => unknown)[] = [];
beforeAll(async () => {
  emulator = await startDemoEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A middleware and an app that answers `/token` with API_TOKEN and reports errors as JSON. */
async function appWith(middleware: InfisicalMiddleware): Promise<TestApp> {
  const errors: ErrorRequestHandler = (error, _req, res, _next) => {
    const e = error as SecretsUnavailableError;
    res
      .set(e.headers ?? {})
      .status(e.status ?? 500)
      .json({ code: e.code, message: e.message, isInfisical: isInfisicalError(e) });
  };
  const app = await startApp(
    middleware,
    {
      '/token': (req, res) => {
        res.json({ token: req.secrets.API_TOKEN, frozen: Object.isFrozen(req.secrets) });
      },
    },
    errors,
  );
  cleanups.push(
    () => middleware.close(),
    () => app.close(),
  );
  return app;
}

describe('infisical() middleware', () => {
  it('loads once for concurrent first requests and sets a frozen req.secrets', async () => {
    const app = await appWith(infisical(demoOptions(emulator)));
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.get('/token')));
    for (const answer of answers) {
      expect(answer).toMatchObject({
        status: 200,
        body: { token: 'demo-api-token-0003', frozen: true },
      });
    }
    expect(emulator.requestCount(LOGIN)).toBe(1);
    expect(emulator.requestCount(LIST)).toBe(1);
  });

  it('ready() loads before listening; the handle verbs serve code without req', async () => {
    const middleware = infisical(demoOptions(emulator));
    cleanups.push(() => middleware.close());
    expect(middleware.values).toEqual({});
    expect(() => middleware.getOrThrow('SESSION_SECRET')).toThrow(
      expect.objectContaining({ code: 'NOT_READY' }),
    );
    await middleware.ready();
    await middleware.ready();
    expect(emulator.requestCount(LIST)).toBe(1);
    expect(middleware.source).toBe('infisical');
    expect(middleware.get('SESSION_SECRET')).toBe('demo-session-secret-3f9a1c');
    expect(middleware.values.SESSION_SECRET).toBe('demo-session-secret-3f9a1c');
    expect(() => {
      (middleware.values as Record<string, string>).SESSION_SECRET = 'changed';
    }).toThrow(TypeError);
    expect(() => middleware.getOrThrow('NOT_IN_INFISICAL')).toThrow(
      expect.objectContaining({
        code: 'MISSING_SECRETS',
        details: { missing: ['NOT_IN_INFISICAL'] },
      }),
    );
    const app = await appWith(middleware);
    expect((await app.get('/token')).body.token).toBe('demo-api-token-0003');
    expect(emulator.requestCount(LIST)).toBe(1);
  });

  it('refresh() applies a rotation now, and subscribe() hears it with key names only', async () => {
    const middleware = infisical(demoOptions(emulator, { refreshInterval: false }));
    const app = await appWith(middleware);
    const heard: SecretsChangeEvent[] = [];
    middleware.subscribe((change) => heard.push(change));
    expect((await app.get('/token')).body.token).toBe('demo-api-token-0003');
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'API_TOKEN',
      value: 'rotated-fake-token',
    });
    await middleware.refresh();
    expect((await app.get('/token')).body.token).toBe('rotated-fake-token');
    expect(heard).toEqual([
      { added: [], changed: ['API_TOKEN'], removed: [], publicChanged: false },
    ]);
  });

  it("follows rotation through core's refresh (every cacheTtl by default) without blocking requests", async () => {
    const middleware = infisical(demoOptions(emulator, { cacheTtl: 1 }));
    const app = await appWith(middleware);
    expect((await app.get('/token')).body.token).toBe('demo-api-token-0003');
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'API_TOKEN',
      value: 'rotated-fake-token',
    });
    emulator.injectFault({ route: LIST, latencyMs: 1000, times: 1 });
    await sleep(1100);
    // core's timer has started the refetch; this request is answered before Infisical answers it.
    expect((await app.get('/token')).body.token).toBe('demo-api-token-0003');
    expect(emulator.requestCount(LIST)).toBe(1);
    await eventually(async () => (await app.get('/token')).body.token === 'rotated-fake-token');
    expect(emulator.requestCount(LIST)).toBeGreaterThanOrEqual(2);
    expect(middleware.get('API_TOKEN')).toBe('rotated-fake-token');
  });

  it('injectEnv writes process.env, keeps variables already set, and follows rotation', async () => {
    process.env.DB_HOST = 'preset-host';
    cleanups.push(() => {
      for (const key of ['DB_HOST', 'API_TOKEN', 'SESSION_SECRET', 'DB_PASSWORD'])
        delete process.env[key];
    });
    const middleware = infisical(demoOptions(emulator, { injectEnv: true, cacheTtl: 1 }));
    const app = await appWith(middleware);
    await middleware.ready();
    expect(process.env.API_TOKEN).toBe('demo-api-token-0003');
    expect(process.env.DB_HOST).toBe('preset-host');
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'API_TOKEN',
      value: 'rotated-env-token',
    });
    await eventually(async () => {
      await app.get('/token');
      return process.env.API_TOKEN === 'rotated-env-token';
    });
  });

  it('keeps serving the last values when a later refresh fails', async () => {
    const reported: InfisicalError[] = [];
    const middleware = infisical(
      demoOptions(emulator, {
        cacheTtl: 1,
        retry: { maxRetries: 0 },
        onError: (e) => reported.push(e),
      }),
    );
    const app = await appWith(middleware);
    expect((await app.get('/token')).status).toBe(200);
    emulator.injectFault({ route: LIST, status: 500 });
    await sleep(1100);
    await eventually(async () => {
      const answer = await app.get('/token');
      expect(answer).toMatchObject({ status: 200, body: { token: 'demo-api-token-0003' } });
      return reported.length > 0;
    });
    expect(reported[0]?.code).toBe('SERVER_ERROR');
    expect(middleware.get('API_TOKEN')).toBe('demo-api-token-0003');
  });

  it('with skip, req.secrets holds only the declared keys the environment has (no request)', async () => {
    process.env.EXPRESS_TEST_SKIPPED = 'from-env-fake';
    cleanups.push(() => delete process.env.EXPRESS_TEST_SKIPPED);
    const middleware = infisical(
      demoOptions(emulator, { skip: true, env: process.env, required: ['EXPRESS_TEST_SKIPPED'] }),
    );
    const app = await startApp(middleware, {
      '/keys': (req, res) => void res.json(Object.keys(req.secrets)),
    });
    cleanups.push(() => app.close());
    expect((await app.get('/keys')).body).toEqual(['EXPRESS_TEST_SKIPPED']);
    expect(middleware.source).toBe('skipped');
    expect(middleware.get('EXPRESS_TEST_SKIPPED')).toBe('from-env-fake');
    expect(middleware.values.PATH).toBeUndefined();
    expect(emulator.requestCount()).toBe(0);
  });

  it('refuses an unknown option, naming the nearest valid one', () => {
    expect(() => infisical({ siteURL: 'http://127.0.0.1:1' } as InfisicalExpressOptions)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('did you mean "siteUrl"'),
      }),
    );
  });

  it('typesFile writes the key names (no value) as an InfisicalSecretKeys augmentation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infisical-express-types-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'src', 'infisical-keys.generated.d.ts');
    const middleware = infisical(demoOptions(emulator, { typesFile: file }));
    cleanups.push(() => middleware.close());
    await middleware.ready();
    const text = readFileSync(file, 'utf8');
    // What test/types/augmented-keys.test-d.ts compiles against.
    expect(text).toBe(
      readFileSync(new URL('types/infisical-keys.generated.d.ts', import.meta.url), 'utf8'),
    );
    for (const value of DEMO_VALUES) expect(text).not.toContain(value);
  });
});

describe('when the initial load fails', () => {
  it('answers 503 through next(err) with a typed error naming the cause, never a value', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const app = await appWith(infisical(demoOptions(down, { retry: { maxRetries: 0 } })));
    const answer = await app.get('/token');
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ code: 'NETWORK_ERROR', isInfisical: true });
    expect(answer.body.message).toMatch(
      /Infisical secrets are not loaded \(NETWORK_ERROR: Could not reach Infisical/,
    );
  });

  it("gives Express's default error handler a 503 with Retry-After", async () => {
    const middleware = infisical(demoOptions(emulator, { retry: { maxRetries: 0 } }));
    emulator.injectFault({ route: LOGIN, status: 503 });
    const app = await startApp(middleware, { '/': (_req, res) => void res.send('ok') });
    cleanups.push(() => app.close());
    const answer = await app.get('/');
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
  });

  it("fails fast during the handle's cooldown, then a request retries and recovers", async () => {
    const middleware = infisical(demoOptions(emulator, { retry: { maxRetries: 0 } }));
    const app = await appWith(middleware);
    emulator.injectFault({ route: LOGIN, status: 503 });
    expect((await app.get('/token')).body.code).toBe('SERVER_ERROR');
    expect(emulator.requestCount(LOGIN)).toBe(1);
    // Within the cooldown (at most 1 s after a first failure): the same error at once, Infisical not asked.
    const during = await app.get('/token');
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('1');
    const error = (await middleware.ready().catch((e: unknown) => e)) as InfisicalError;
    expect(error.code).toBe('SERVER_ERROR');
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(1000);
    expect(emulator.requestCount(LOGIN)).toBe(1);
    emulator.clearFaults();
    await sleep(1100);
    expect((await app.get('/token')).body.token).toBe('demo-api-token-0003');
    expect(emulator.requestCount(LOGIN)).toBe(2);
  });

  it('names missing required keys and keeps values out of the error, its JSON and inspect', async () => {
    const middleware = infisical(
      demoOptions(emulator, { required: ['API_TOKEN', 'NOT_IN_INFISICAL'] }),
    );
    const error = (await middleware.ready().catch((e: unknown) => e)) as SecretsUnavailableError;
    expect(error.code).toBe('MISSING_SECRETS');
    expect(error.message).toContain('NOT_IN_INFISICAL');
    for (const text of [
      error.message,
      JSON.stringify(error),
      inspect(error, { depth: 5 }),
      String(error.stack),
    ]) {
      for (const value of DEMO_VALUES) expect(text).not.toContain(value);
    }
  });

  it('names refused credentials (AUTH_FAILED) without the client secret', async () => {
    const app = await appWith(
      infisical(
        demoOptions(emulator, {
          auth: {
            universalAuth: { clientId: 'demo-client-id', clientSecret: 'wrong-secret-fake' },
          },
        }),
      ),
    );
    const answer = await app.get('/token');
    expect(answer).toMatchObject({ status: 503, body: { code: 'AUTH_FAILED' } });
    expect(JSON.stringify(answer.body)).not.toContain('wrong-secret-fake');
  });
});

describe('redactLogs', () => {
  it('redacts what route handlers log, Error stacks included, until close', async () => {
    const printed: string[] = [];
    const original = console.error;
    const keep = (...args: unknown[]): void => void printed.push(args.map(String).join(' '));
    // The redaction wraps whatever console.error is when the middleware is created.
    console.error = keep;
    try {
      const middleware = infisical(demoOptions(emulator, { redactLogs: true }));
      const app = await startApp(middleware, {
        '/fail': (req, res) => {
          console.error(new Error(`payment failed with ${req.secrets.API_TOKEN}`));
          res.status(500).end();
        },
      });
      expect((await app.get('/fail')).status).toBe(500);
      await app.close();
      await middleware.close();
      console.error('after close demo-api-token-0003');
    } finally {
      console.error = original;
    }
    expect(printed[0]).toMatch(/^Error: payment failed with \[redacted:API_TOKEN\]\n\s+at /);
    expect(printed[1]).toBe('after close demo-api-token-0003');
  });
});
