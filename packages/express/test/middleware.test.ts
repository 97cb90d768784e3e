import { inspect } from 'node:util';
import type { Emulator } from '@infisical/emulator';
import type { ErrorRequestHandler } from 'express';
import { freePort, startDemoEmulator } from 'test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type InfisicalError,
  type InfisicalMiddleware,
  infisical,
  isInfisicalError,
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

  it('ready() loads before listening; secrets() serves code without req', async () => {
    const middleware = infisical(demoOptions(emulator));
    cleanups.push(() => middleware.close());
    expect(() => middleware.secrets()).toThrow(/not loaded yet.*ready\(\)/);
    await middleware.ready();
    await middleware.ready();
    expect(emulator.requestCount(LIST)).toBe(1);
    const secrets = middleware.secrets();
    expect(secrets.SESSION_SECRET).toBe('demo-session-secret-3f9a1c');
    expect(() => {
      (secrets as Record<string, string>).SESSION_SECRET = 'changed';
    }).toThrow(TypeError);
    const app = await appWith(middleware);
    expect((await app.get('/token')).body.token).toBe('demo-api-token-0003');
    expect(emulator.requestCount(LIST)).toBe(1);
  });

  it('follows rotation through the core cache after its TTL, without blocking requests', async () => {
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
    // This request starts the refetch and is answered before Infisical answers it.
    expect((await app.get('/token')).body.token).toBe('demo-api-token-0003');
    expect(emulator.requestCount(LIST)).toBe(1);
    await eventually(async () => (await app.get('/token')).body.token === 'rotated-fake-token');
    expect(emulator.requestCount(LIST)).toBe(2);
    expect(middleware.secrets().API_TOKEN).toBe('rotated-fake-token');
  });

  it('attachToProcessEnv writes process.env, keeps variables already set, and follows rotation', async () => {
    process.env.DB_HOST = 'preset-host';
    cleanups.push(() => {
      for (const key of ['DB_HOST', 'API_TOKEN', 'SESSION_SECRET', 'DB_PASSWORD'])
        delete process.env[key];
    });
    const middleware = infisical(demoOptions(emulator, { attachToProcessEnv: true, cacheTtl: 1 }));
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
    expect(middleware.secrets().API_TOKEN).toBe('demo-api-token-0003');
  });

  it('reads the environment as it is with skip (no request to Infisical)', async () => {
    process.env.EXPRESS_TEST_SKIPPED = 'from-env-fake';
    cleanups.push(() => delete process.env.EXPRESS_TEST_SKIPPED);
    const middleware = infisical(demoOptions(emulator, { skip: true }));
    await middleware.ready();
    expect(middleware.secrets().EXPRESS_TEST_SKIPPED).toBe('from-env-fake');
    expect(emulator.requestCount()).toBe(0);
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

  it('fails fast during the backoff, then a request retries and recovers', async () => {
    const middleware = infisical(demoOptions(emulator, { retry: { maxRetries: 0 } }));
    const app = await appWith(middleware);
    emulator.injectFault({ route: LOGIN, status: 503 });
    expect((await app.get('/token')).body.code).toBe('SERVER_ERROR');
    expect(emulator.requestCount(LOGIN)).toBe(1);
    // Within the backoff (1 s): the same error at once, Infisical not asked.
    expect((await app.get('/token')).status).toBe(503);
    expect(() => middleware.secrets()).toThrow(/SERVER_ERROR/);
    expect(emulator.requestCount(LOGIN)).toBe(1);
    // ready() tries at once; a second failure doubles the backoff.
    const error = (await middleware.ready().catch((e: unknown) => e)) as SecretsUnavailableError;
    expect(error).toMatchObject({ status: 503, headers: { 'Retry-After': '2' } });
    expect(emulator.requestCount(LOGIN)).toBe(2);
    emulator.clearFaults();
    await sleep(2100);
    expect((await app.get('/token')).body.token).toBe('demo-api-token-0003');
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
