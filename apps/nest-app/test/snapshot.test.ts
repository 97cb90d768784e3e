import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  infisicalEnv,
  type RunningProcess,
  startDemoEmulator,
  startProcess,
} from 'test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const LOGIN = 'POST /api/v1/auth/universal-auth/login';
const REVOKE = 'POST /api/v1/auth/token/revoke';
const NEVER_SHOWN = ['demo-api-token-0003', 'demo-session-secret-3f9a1c', 'snapshot-token-0055'];

const started: RunningProcess[] = [];
afterEach(async () => {
  for (const proc of started.splice(0)) await proc.stop();
});

/** Starts `node dist/main.js` on a free port; resolves once it listens. */
async function startApp(
  env: Record<string, string>,
): Promise<{ app: RunningProcess; url: string }> {
  const port = await freePort();
  const app = startProcess(process.execPath, ['dist/main.js'], {
    cwd: appDir,
    env: { ...env, PORT: String(port), NO_COLOR: '1' },
  });
  started.push(app);
  await app.waitFor(/nest-app ready on http:\/\/127\.0\.0\.1:\d+/);
  return { app, url: `http://127.0.0.1:${port}` };
}

async function getJson<T>(url: string): Promise<T> {
  return (await (await fetch(url)).json()) as T;
}

async function poll(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('nest-app with a last-known-good snapshot (INFISICAL_SNAPSHOT_PATH)', () => {
  it('boots from the snapshot while Infisical is unreachable for the whole start, then switches to live values; shutdown revokes the tokens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nest-app-snapshot-'));
    const emulator = await startDemoEmulator();
    try {
      const env = infisicalEnv(emulator, {
        INFISICAL_CACHE_TTL: '1',
        INFISICAL_SNAPSHOT_PATH: join(dir, 'state', 'snapshot'),
      });
      const first = await startApp(env);
      expect((await getJson<{ source: string }>(`${first.url}/health`)).source).toBe('infisical');
      await first.app.stop();
      // infisicalConfig's handle (closed after boot) and InfisicalService's (closed on shutdown).
      expect(emulator.requestCount(LOGIN)).toBe(2);
      expect(emulator.requestCount(REVOKE)).toBe(2);

      emulator.injectFault({ route: '*', reset: true });
      emulator.setSecret({
        project: 'demo-app',
        environment: 'dev',
        key: 'API_TOKEN',
        value: 'snapshot-token-0055',
      });
      const cold = await startApp(env);
      expect(await getJson(`${cold.url}/health`)).toMatchObject({
        status: 'ok',
        source: 'snapshot',
      });
      const token = await getJson<{ masked: string }>(`${cold.url}/secrets/API_TOKEN`);
      expect(token.masked).toBe('…03 (19 characters)');
      expect((await fetch(`${cold.url}/config/SESSION_SECRET`)).status).toBe(200);

      emulator.clearFaults();
      await poll(
        async () =>
          (await getJson<{ source: string }>(`${cold.url}/health`)).source === 'infisical',
        40_000,
      );
      const live = await getJson<{ masked: string }>(`${cold.url}/secrets/API_TOKEN`);
      expect(live.masked).toBe('…55 (19 characters)');
      for (const value of NEVER_SHOWN) {
        expect(first.app.output()).not.toContain(value);
        expect(cold.app.output()).not.toContain(value);
      }
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
