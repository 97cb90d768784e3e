import { fileURLToPath } from 'node:url';
import type { Emulator } from '@infisical/emulator';
import {
  DEMO_CREDENTIALS,
  freePort,
  infisicalEnv,
  type RunningProcess,
  startDemoEmulator,
  startProcess,
} from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const LIST_ROUTE = 'GET /api/v3/secrets/raw';
/** Values of the demo seed (and its credential) that the app must never print or serve whole. */
const NEVER_SHOWN = [
  'demo-api-token-0003',
  'demo-db-password',
  'demo-session-secret-3f9a1c',
  'rotated-token-0042',
  DEMO_CREDENTIALS.clientSecret,
];

interface MaskedSecret {
  name: string;
  length: number;
  masked: string;
}

/** The mask's last two characters (core's format: `…03 (19 characters)`). */
const last2 = (secret: MaskedSecret) => secret.masked.slice(1, 3);

/** Starts `node dist/main.js` on a free port with these environment variables. */
async function startApp(
  env: Record<string, string>,
): Promise<{ app: RunningProcess; url: string }> {
  const port = await freePort();
  const app = startProcess(process.execPath, ['dist/main.js'], {
    cwd: appDir,
    env: { ...env, PORT: String(port), NO_COLOR: '1' },
  });
  return { app, url: `http://127.0.0.1:${port}` };
}

async function getJson<T>(url: string): Promise<{ status: number; body: T; text: string }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, text };
}

async function poll(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function expectNoValues(text: string): void {
  for (const value of NEVER_SHOWN) expect(text).not.toContain(value);
}

describe('nest-app against the emulator', () => {
  let emulator: Emulator;
  let app: RunningProcess;
  let url: string;

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    ({ app, url } = await startApp(infisicalEnv(emulator, { INFISICAL_CACHE_TTL: '1' })));
    await app.waitFor(/nest-app ready on http:\/\/127\.0\.0\.1:\d+/);
  });
  afterAll(async () => {
    await app?.stop();
    await emulator?.close();
  });

  it('serves masked Infisical values and a health endpoint', async () => {
    const health = await getJson<{ status: string; source: string; keys: number }>(`${url}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', source: 'infisical' });
    expect(health.body.keys).toBeGreaterThan(5);

    const token = await getJson<MaskedSecret>(`${url}/secrets/API_TOKEN`);
    expect(token.body).toEqual({
      name: 'API_TOKEN',
      length: 'demo-api-token-0003'.length,
      masked: '…03 (19 characters)',
    });
    const fromConfig = await getJson<MaskedSecret>(`${url}/config/DATABASE_URL`);
    expect(fromConfig.body).toEqual({
      name: 'DATABASE_URL',
      length: 52,
      masked: '…mo (52 characters)',
    });
    expect((await fetch(`${url}/secrets/NOT_A_SECRET`)).status).toBe(404);
    expectNoValues(token.text + fromConfig.text);
  });

  it('serves the dashboard JSON at /api/secrets and a readable page at /', async () => {
    const report = await getJson<Record<string, unknown>>(`${url}/api/secrets`);
    expect(report.body).toMatchObject({
      app: 'nest',
      source: 'infisical',
      values: { API_TOKEN: '…03 (19 characters)', DB_PORT: '… (4 characters)' },
      public: {},
      changedAt: null,
    });
    expect(new Date(report.body.loadedAt as string).toISOString()).toBe(report.body.loadedAt);
    expectNoValues(report.text);
    const index = await fetch(url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<h1>NestJS + Infisical</h1>');
  });

  it('shows a rotated secret after the cache TTL, without a restart', async () => {
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'API_TOKEN',
      value: 'rotated-token-0042',
    });
    await poll(
      async () => last2((await getJson<MaskedSecret>(`${url}/secrets/API_TOKEN`)).body) === '42',
    );
    expect((await getJson<MaskedSecret>(`${url}/secrets/API_TOKEN`)).body.length).toBe(18);
    expect(
      (await getJson<{ changedAt: string | null }>(`${url}/api/secrets`)).body.changedAt,
    ).not.toBeNull();
    // ConfigService holds what infisicalConfig loaded at boot.
    expect(last2((await getJson<MaskedSecret>(`${url}/config/API_TOKEN`)).body)).toBe('03');
  });

  it('keeps serving the last values while Infisical is down', async () => {
    emulator.injectFault({ route: LIST_ROUTE, status: 503 });
    const before = emulator.requestCount(LIST_ROUTE);
    // Background refreshes fail (then the client cools down instead of hammering) while
    // requests are answered.
    await poll(async () => emulator.requestCount(LIST_ROUTE) >= before + 2);
    const token = await getJson<MaskedSecret>(`${url}/secrets/API_TOKEN`);
    expect(token.status).toBe(200);
    expect(last2(token.body)).toBe('42');
    expect((await getJson<{ status: string }>(`${url}/health`)).body.status).toBe('ok');
    await app.waitFor(/WARN .*SERVER_ERROR: Infisical answered 503/);

    emulator.clearFaults();
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'API_TOKEN',
      value: 'back-online-0077',
    });
    // The next probe comes after the client's cooldown (at most retry.maxCooldownMs, 30 s).
    await poll(
      async () => last2((await getJson<MaskedSecret>(`${url}/secrets/API_TOKEN`)).body) === '77',
      35_000,
    );
    expectNoValues(app.output());
  });

  it('shuts down on SIGTERM without waiting for the refresh timer', async () => {
    await app.stop();
    // Nest's shutdown hooks run, then re-raise the signal; a hang would end in SIGKILL.
    expect(app.child.signalCode).toBe('SIGTERM');
    expect(app.output()).not.toMatch(/ ERROR \[/);
  });
});

describe('nest-app when Infisical is down at boot', () => {
  it('fails fast with the clear error when Infisical cannot be reached', async () => {
    const emulator = await startDemoEmulator();
    const env = infisicalEnv(emulator);
    await emulator.close();
    const { app } = await startApp(env);
    expect(await app.exited).toBe(1);
    const output = app.output();
    expect(output).toMatch(
      /nest-app could not start: NETWORK_ERROR: Could not reach Infisical for POST \/api\/v1\/auth\/universal-auth\/login/,
    );
    expect(output).not.toMatch(/\n\s+at /);
    expectNoValues(output);
  });

  it('fails fast with the clear error when Infisical refuses the list', async () => {
    const emulator = await startDemoEmulator();
    try {
      emulator.injectFault({ route: LIST_ROUTE, status: 503 });
      const { app } = await startApp(infisicalEnv(emulator));
      expect(await app.exited).toBe(1);
      const output = app.output();
      expect(output).toMatch(
        /nest-app could not start: SERVER_ERROR: Infisical answered 503 .*for GET \/api\/v3\/secrets\/raw/,
      );
      expectNoValues(output);
    } finally {
      await emulator.close();
    }
  });
});
