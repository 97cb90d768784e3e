import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_SEED_FILE, type Emulator, startEmulator } from '@infisical/emulator';
import {
  freePort,
  infisicalEnv,
  type RunningProcess,
  run,
  startDemoEmulator,
  startProcess,
} from 'test-utils';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
/** Every secret value of the demo seed's dev environment (fake): none may reach a log line. */
const SEED_VALUES = [
  'demo-db-password',
  'demo-api-token-0003',
  'demo-session-secret-3f9a1c',
  'sk_test_demo_0000000000',
  'demo-client-secret',
];

const started: RunningProcess[] = [];
const emulators: Emulator[] = [];
beforeAll(async () => {
  const build = await run('pnpm', ['run', 'build:app'], { cwd: appDir });
  if (build.code !== 0) throw new Error(`build:app failed:\n${build.output}`);
});
afterEach(async () => {
  for (const proc of started.splice(0)) {
    await proc.stop();
    for (const value of SEED_VALUES) expect(proc.output()).not.toContain(value);
  }
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

/** Starts `node dist/server.js` on a free port against the emulator (cache TTL 1 s). */
async function startApp(emulator: Emulator, env: Record<string, string> = {}) {
  const port = await freePort();
  const proc = startProcess('node', ['dist/server.js'], {
    cwd: appDir,
    env: { ...infisicalEnv(emulator, { INFISICAL_CACHE_TTL: '1', ...env }), PORT: String(port) },
  });
  started.push(proc);
  await proc.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/);
  const url = `http://127.0.0.1:${port}`;
  const get = Object.assign(
    async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(url + path, { headers });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
    { url },
  );
  return { proc, get };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const demoEmulator = async () => {
  const emulator = await startDemoEmulator();
  emulators.push(emulator);
  return emulator;
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('express-app', () => {
  it('serves secrets masked and uses them (API token check, signed session)', async () => {
    const { get } = await startApp(await demoEmulator());
    expect(await get('/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const secrets = await get('/secrets');
    expect(secrets.status).toBe(200);
    expect(secrets.body).toMatchObject({
      greeting: 'Hello from Infisical (dev)',
      secrets: {
        API_TOKEN: '…03 (19 characters)',
        SESSION_SECRET: '…1c (26 characters)',
        DB_PASSWORD: '…rd (16 characters)',
      },
    });
    for (const value of SEED_VALUES) expect(JSON.stringify(secrets.body)).not.toContain(value);
    expect((await get('/api/data', bearer('demo-api-token-0003'))).status).toBe(200);
    expect((await get('/api/data', bearer('demo-api-token-0002'))).status).toBe(401);
    expect((await get('/api/data')).status).toBe(401);
    const [id, signature] = (await get('/session')).body.session.split('.');
    expect(signature).toBe(
      createHmac('sha256', 'demo-session-secret-3f9a1c').update(id).digest('base64url'),
    );
  });

  it('serves the dashboard JSON at /api/secrets and a readable index at /', async () => {
    const { get } = await startApp(await demoEmulator());
    const body = (await get('/api/secrets')).body;
    expect(body).toMatchObject({
      app: 'express',
      source: 'infisical',
      values: { API_TOKEN: '…03 (19 characters)', DB_PORT: '… (4 characters)' },
      public: {},
      changedAt: null,
    });
    expect(new Date(body.loadedAt).toISOString()).toBe(body.loadedAt);
    for (const value of SEED_VALUES) expect(JSON.stringify(body)).not.toContain(value);
    const index = await fetch(get.url);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<h1>Express + Infisical</h1>');
  });

  it('follows a rotation once the cache TTL has passed', async () => {
    const emulator = await demoEmulator();
    const { get } = await startApp(emulator);
    expect((await get('/secrets')).body.secrets.API_TOKEN).toBe('…03 (19 characters)');
    const before = (await get('/api/secrets')).body;
    expect(before.changedAt).toBeNull();
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'API_TOKEN',
      value: 'rotated-api-token-0004',
    });
    await eventually(
      async () => (await get('/secrets')).body.secrets.API_TOKEN === '…04 (22 characters)',
    );
    const after = (await get('/api/secrets')).body;
    expect(after.values.API_TOKEN).toBe('…04 (22 characters)');
    expect(after.loadedAt).toBe(before.loadedAt);
    expect(Date.parse(after.changedAt)).toBeGreaterThanOrEqual(Date.parse(before.loadedAt));
    expect((await get('/api/data', bearer('rotated-api-token-0004'))).status).toBe(200);
    expect((await get('/api/data', bearer('demo-api-token-0003'))).status).toBe(401);
  });

  it('answers 503 while Infisical is down at start, then recovers once it is back', async () => {
    const port = await freePort();
    const siteUrl = `http://127.0.0.1:${port}`;
    // Nothing listens there yet (infisicalEnv reads only the emulator's URL).
    const { get, proc } = await startApp({ url: siteUrl } as Emulator);
    expect(proc.output()).toMatch(
      /secrets not loaded \(NETWORK_ERROR\): Could not reach Infisical/,
    );
    const down = await get('/secrets');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(down.body).toMatchObject({ error: 'NETWORK_ERROR' });
    expect(down.body.message).toContain('Could not reach Infisical');
    expect((await get('/health')).status).toBe(200);

    emulators.push(await startEmulator({ port, seed: DEMO_SEED_FILE }));
    await eventually(async () => (await get('/secrets')).status === 200);
    expect((await get('/secrets')).body.secrets.API_TOKEN).toBe('…03 (19 characters)');
  });

  it('keeps serving the last values when Infisical goes down later', async () => {
    const emulator = await startDemoEmulator();
    const { get, proc } = await startApp(emulator);
    expect((await get('/secrets')).status).toBe(200);
    await emulator.close();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await eventually(async () => {
      const answer = await get('/secrets');
      expect(answer.status).toBe(200);
      expect(answer.body.secrets.API_TOKEN).toBe('…03 (19 characters)');
      return /Infisical refresh failed \(NETWORK_ERROR\); serving the last values/.test(
        proc.output(),
      );
    });
    expect((await get('/api/data', bearer('demo-api-token-0003'))).status).toBe(200);
  });
});

describe('express-app with a last-known-good snapshot (INFISICAL_SNAPSHOT_PATH)', () => {
  const REVOKE = 'POST /api/v1/auth/token/revoke';

  it('serves from the snapshot while Infisical is unreachable for the whole start, then switches to live values; shutdown revokes the token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'express-app-snapshot-'));
    const file = join(dir, 'state', 'snapshot');
    const env = { INFISICAL_SNAPSHOT_PATH: file };
    try {
      const emulator = await demoEmulator();
      const first = await startApp(emulator, env);
      expect((await first.get('/api/secrets')).body.source).toBe('infisical');
      await first.proc.stop();
      started.splice(started.indexOf(first.proc), 1);
      for (const value of SEED_VALUES) expect(first.proc.output()).not.toContain(value);
      expect(emulator.requestCount(REVOKE)).toBe(1);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const sealed = await readFile(file, 'utf8');
      for (const value of SEED_VALUES) expect(sealed).not.toContain(value);

      // Every request of the whole start has its connection reset; a rotation waits behind it.
      emulator.injectFault({ route: '*', reset: true });
      emulator.setSecret({
        project: 'demo-app',
        environment: 'dev',
        key: 'API_TOKEN',
        value: 'rotated-api-token-0004',
      });
      const cold = await startApp(emulator, env);
      const served = await cold.get('/api/secrets');
      expect(served).toMatchObject({
        status: 200,
        body: { source: 'snapshot', values: { API_TOKEN: '…03 (19 characters)' }, changedAt: null },
      });
      expect((await cold.get('/api/data', bearer('demo-api-token-0003'))).status).toBe(200);
      expect(cold.proc.output().match(/Infisical refresh failed \(NETWORK_ERROR\)/g)).toHaveLength(
        1,
      );

      emulator.clearFaults();
      await eventually(
        async () => (await cold.get('/api/secrets')).body.source === 'infisical',
        40_000,
      );
      const live = (await cold.get('/api/secrets')).body;
      expect(live.values.API_TOKEN).toBe('…04 (22 characters)');
      expect(live.changedAt).not.toBeNull();
      expect((await cold.get('/api/data', bearer('rotated-api-token-0004'))).status).toBe(200);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('still answers 503 without a snapshot file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'express-app-snapshot-'));
    try {
      const emulator = await demoEmulator();
      emulator.injectFault({ route: '*', reset: true });
      const { get, proc } = await startApp(emulator, {
        INFISICAL_SNAPSHOT_PATH: join(dir, 'none'),
      });
      expect((await get('/secrets')).status).toBe(503);
      expect(proc.output()).toMatch(/secrets not loaded \(NETWORK_ERROR\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
