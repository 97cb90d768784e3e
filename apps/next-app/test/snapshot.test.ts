import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@infisical/emulator';
import { type RunningProcess, startDemoEmulator } from 'test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, appEnv, DIST_DIR, eventually, nextBuild, startNext } from './app.ts';

const LOGIN = 'POST /api/v1/auth/universal-auth/login';
const REVOKE = 'POST /api/v1/auth/token/revoke';

interface Report {
  source: string;
  values: Record<string, string>;
}

/** Every file of the Edge bundles (middleware-manifest's functions, edge chunks). */
async function edgeFiles(): Promise<string[]> {
  const server = join(APP_DIR, DIST_DIR, 'server');
  const manifest = JSON.parse(await readFile(join(server, 'middleware-manifest.json'), 'utf8')) as {
    functions: Record<string, { files: string[] }>;
  };
  const listed = Object.values(manifest.functions).flatMap((fn) =>
    fn.files.map((name) => join(APP_DIR, DIST_DIR, name)),
  );
  const chunks = (await readdir(server, { recursive: true }))
    .filter((name) => /(^|\/)edge/.test(name) && name.endsWith('.js'))
    .map((name) => join(server, name));
  return [...new Set([...listed, ...chunks])];
}

describe('next start with a last-known-good snapshot (INFISICAL_SNAPSHOT_PATH)', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;
  const servers: RunningProcess[] = [];

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    dir = await mkdtemp(join(tmpdir(), 'next-app-snapshot-'));
    await nextBuild(appEnv(emulator));
    env = appEnv(emulator, {
      INFISICAL_CACHE_TTL: '1',
      INFISICAL_SNAPSHOT_PATH: join(dir, 'state', 'snapshot'),
    });
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });
  afterAll(async () => {
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const start = async () => {
    const started = await startNext('start', env);
    servers.push(started.server);
    return started;
  };
  const report = async (baseUrl: string): Promise<Report> =>
    (await (await fetch(`${baseUrl}/api/secrets`)).json()) as Report;

  it('keeps the file store out of the Edge bundles (the runtime loads @infisical/core/node on Node only)', async () => {
    const files = await edgeFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(await readFile(file, 'utf8')).not.toContain('O_NOFOLLOW');
  });

  it('register() serves the snapshot while Infisical is unreachable for the whole start, then live values; SIGTERM revokes the token', async () => {
    const first = await start();
    expect((await report(first.baseUrl)).source).toBe('infisical');
    // The Edge route reads the same variables and ignores the snapshot ones.
    expect((await fetch(`${first.baseUrl}/api/edge-secret`)).status).toBe(200);
    await first.server.stop();
    servers.splice(0);
    // Best effort on Next (its own SIGTERM handler exits once the server has closed).
    expect(emulator.requestCount(REVOKE)).toBeGreaterThanOrEqual(1);
    expect(emulator.requestCount(REVOKE)).toBeLessThanOrEqual(emulator.requestCount(LOGIN));

    emulator.injectFault({ route: '*', reset: true });
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'SESSION_SECRET',
      value: 'snapshot-era-session-secret-77',
    });
    const cold = await start();
    const served = await report(cold.baseUrl);
    expect(served.source).toBe('snapshot');
    expect(served.values.SESSION_SECRET).toBe('…1c (26 characters)');
    expect(cold.server.output()).toMatch(/serving the last-known-good snapshot/);

    emulator.clearFaults();
    await eventually(async () => (await report(cold.baseUrl)).source === 'infisical', 40_000);
    expect((await report(cold.baseUrl)).values.SESSION_SECRET).toBe('…77 (30 characters)');
    for (const output of [first.server.output(), cold.server.output()]) {
      expect(output).not.toContain('demo-session-secret-3f9a1c');
      expect(output).not.toContain('snapshot-era-session-secret-77');
    }
  });
});
