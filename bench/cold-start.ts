/**
 * A cold start of the example apps while Infisical is unreachable for the whole start (every
 * emulator route resets the connection), with and without a last-known-good snapshot:
 * `pnpm --filter bench bench:cold-start` (build the packages and the apps first: `pnpm build`,
 * `pnpm --filter express-app --filter nest-app build:app`; for Next, a `next build` of
 * apps/next-app into `.next-test`, which its tests leave behind, else Next is skipped).
 *
 * Per app and round:
 * 1. Infisical up: the app starts and writes its snapshot; it is stopped (SIGTERM).
 * 2. Infisical down, snapshot present: the time from spawning the process to the first 200 of its
 *    secrets route, then 200 requests (10 at a time) counted for failures; Infisical comes back
 *    after 3 s of serving, and the time until the app reports `source: 'infisical'` is taken.
 * 3. Infisical down, no snapshot: what the app does (a 503 and its time, or a failed boot).
 *
 * Prints the median of each figure over the rounds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSecrets, type SecretsOptions } from '@infisical/core';
import '@infisical/core/node';
import { DEMO_SEED_FILE, startEmulator } from '@infisical/emulator';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const REQUESTS = 200;
const CONCURRENCY = 10;
const DOWN_AFTER_SERVING_MS = 3000;
const APPS_DIR = fileURLToPath(new URL('../apps/', import.meta.url));
const IDENTITY = {
  INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: 'demo-client-id',
  INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: 'demo-client-secret',
  INFISICAL_PROJECT_ID: '6f0b6a5e-8d4b-4f0e-9c59-2d3c1a7e0001',
  INFISICAL_ENVIRONMENT: 'dev',
};

interface AppSpec {
  name: string;
  cwd: string;
  /** The command, given the port. */
  command(port: number): string[];
  /** The route whose JSON has `source` (200 once secrets are served). */
  route: string;
  available(): boolean;
}

const nextBin = join(APPS_DIR, 'next-app/node_modules/next/dist/bin/next');
const APPS: AppSpec[] = [
  {
    name: 'express-app',
    cwd: join(APPS_DIR, 'express-app'),
    command: () => ['dist/server.js'],
    route: '/api/secrets',
    available: () => existsSync(join(APPS_DIR, 'express-app/dist/server.js')),
  },
  {
    name: 'nest-app',
    cwd: join(APPS_DIR, 'nest-app'),
    command: () => ['dist/main.js'],
    route: '/health',
    available: () => existsSync(join(APPS_DIR, 'nest-app/dist/main.js')),
  },
  {
    name: 'next-app (next start)',
    cwd: join(APPS_DIR, 'next-app'),
    command: (port) => [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)],
    route: '/api/secrets',
    available: () => existsSync(join(APPS_DIR, 'next-app/.next-test/BUILD_ID')),
  },
];

interface Round {
  upMs: number;
  serveMs: number;
  failed: number;
  liveMs: number;
  /** Without a snapshot: what the start gave (`503`, `boot fails (exit 1)`) and after how long. */
  bare: { what: string; ms: number };
}

const emulator = await startEmulator({ port: 0, seed: DEMO_SEED_FILE });
try {
  console.log(
    `cold start with Infisical down: ${ROUNDS} rounds, median shown (load average ${loadavg()[0]?.toFixed(1)})\n`,
  );
  const core = await measureCore();
  console.log(
    `core alone, in process: loadSecrets ${core.upMs} ms with Infisical up, ${core.downMs} ms from the snapshot with Infisical down\n`,
  );
  console.log(
    '| app | serving, Infisical up | serving, Infisical down + snapshot | failed requests | live values after Infisical returns | Infisical down, no snapshot |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const app of APPS) {
    if (!app.available()) {
      console.log(`| ${app.name} | not built: skipped | | | | |`);
      continue;
    }
    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push(await measure(app));
    const of = (pick: (r: Round) => number): number => median(rounds.map(pick));
    const outcomes = [...new Set(rounds.map((r) => r.bare.what))].join(' or ');
    console.log(
      `| ${app.name} | ${of((r) => r.upMs)} ms | ${of((r) => r.serveMs)} ms | ${of((r) => r.failed)} of ${REQUESTS} | ${of((r) => r.liveMs)} ms | ${outcomes} after ${of((r) => r.bare.ms)} ms |`,
    );
  }
} finally {
  await emulator.close();
}

/** `loadSecrets` in this process, up and then down with the snapshot: the handle's own cost. */
async function measureCore(): Promise<{ upMs: number; downMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-cold-start-'));
  const options: SecretsOptions = {
    siteUrl: emulator.url,
    env: IDENTITY,
    snapshot: { path: join(dir, 'snapshot') },
    onError: () => undefined,
  };
  const up: number[] = [];
  const down: number[] = [];
  try {
    for (let round = 0; round < 5; round++) {
      let startedAt = performance.now();
      await (await loadSecrets(options)).close();
      up.push(performance.now() - startedAt);
      emulator.injectFault({ route: '*', reset: true });
      startedAt = performance.now();
      const cold = await loadSecrets(options);
      down.push(performance.now() - startedAt);
      if (cold.source !== 'snapshot') throw new Error(`core served ${cold.source}`);
      await cold.close();
      emulator.clearFaults();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { upMs: median(up), downMs: median(down) };
}

async function measure(app: AppSpec): Promise<Round> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-cold-start-'));
  const env = {
    INFISICAL_SITE_URL: emulator.url,
    ...IDENTITY,
    INFISICAL_SNAPSHOT_PATH: join(dir, 'state', 'snapshot'),
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_DIST_DIR: '.next-test',
    NO_COLOR: '1',
  };
  try {
    emulator.reset();
    const writer = await start(app, env);
    const upMs = await waitForSource(writer.url + app.route, 'infisical', writer.startedAt);
    await stop(writer.child);

    emulator.injectFault({ route: '*', reset: true });
    const cold = await start(app, env);
    const serveMs = await firstOk(cold.url + app.route, cold.child, cold.startedAt);
    const failed = await load(cold.url + app.route);
    await sleep(DOWN_AFTER_SERVING_MS);
    emulator.clearFaults();
    const liveMs = await waitForSource(cold.url + app.route, 'infisical', performance.now());
    await stop(cold.child);

    emulator.injectFault({ route: '*', reset: true });
    const bare = await start(app, { ...env, INFISICAL_SNAPSHOT_PATH: join(dir, 'none') });
    const bareOutcome = await outcome(bare.url + app.route, bare.child, bare.startedAt);
    await stop(bare.child);
    emulator.clearFaults();
    return { upMs, serveMs, failed, liveMs, bare: bareOutcome };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function start(app: AppSpec, env: Record<string, string>) {
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawn(process.execPath, app.command(port), {
    cwd: app.cwd,
    env: { PATH: process.env.PATH, ...env, PORT: String(port), HOSTNAME: '127.0.0.1' },
    stdio: 'ignore',
  });
  return { child, url: `http://127.0.0.1:${port}`, startedAt };
}

/** ms from spawning until the route answers 200. */
async function firstOk(url: string, child: ChildProcess, startedAt: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the app exited (${child.exitCode})`);
    if ((await status(url)) === 200) return Math.round(performance.now() - startedAt);
    await sleep(10);
  }
}

/** What a start without a snapshot gives: the first answer and its time, or the exit. */
async function outcome(
  url: string,
  child: ChildProcess,
  startedAt: number,
): Promise<{ what: string; ms: number }> {
  for (;;) {
    const ms = Math.round(performance.now() - startedAt);
    if (child.exitCode !== null) return { what: `boot fails (exit ${child.exitCode})`, ms };
    const code = await status(url);
    if (code !== 0) return { what: String(code), ms };
    await sleep(10);
  }
}

/** Sends REQUESTS requests, CONCURRENCY at a time; returns how many were not 200. */
async function load(url: string): Promise<number> {
  let failed = 0;
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < REQUESTS) {
      sent++;
      if ((await status(url)) !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failed;
}

/** ms from `since` until the route reports `source` (at most a minute). */
async function waitForSource(url: string, source: string, since: number): Promise<number> {
  const timeoutMs = 60_000;
  while (performance.now() < since + timeoutMs) {
    try {
      const response = await fetch(url);
      if (response.ok && ((await response.json()) as { source?: string }).source === source)
        return Math.round(performance.now() - since);
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  throw new Error(`${url} did not report source ${source} within ${timeoutMs} ms`);
}

/** The status of a GET, or 0 when nothing answers. */
async function status(url: string): Promise<number> {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await once(child, 'exit');
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function median(list: number[]): number {
  return Math.round([...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
