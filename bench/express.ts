/**
 * The cost of `@infisical/express` per request: the same small Express app with and without the
 * middleware, each in its own process on 127.0.0.1, loaded with autocannon, both reading secrets
 * from one emulator: `pnpm --filter bench bench:express` (build the packages first). Prints
 * requests per second of both and the ratio.
 *
 * - without: the route reads values that core's `loadSecrets` loaded once before listening;
 * - with: `app.use(infisical())`, the route reads `req.secrets` (core's default refresh).
 *
 * Both servers run side by side; after a warm-up of each, the runs alternate (with, without,
 * then without, with...) so a machine that gets busier or quieter affects both alike. The ratio
 * is that of the medians.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadSecrets } from '@infisical/core';
import { DEMO_SEED_FILE, startEmulator } from '@infisical/emulator';
import { infisical, type SecretValues } from '@infisical/express';
import autocannon from 'autocannon';

/** The little of Express used here, typed structurally (bench has no `@types/express`). */
interface App {
  use(middleware: unknown): void;
  get(path: string, handler: (req: Request, res: { json(body: unknown): void }) => void): void;
  listen(port: number, host: string, listening: () => void): Server;
}
type Request = { secrets: SecretValues };
const express = createRequire(import.meta.url)('express') as () => App;

const CONNECTIONS = 50;
const WARMUP_SECONDS = 3;
const SECONDS = 10;
const ROUNDS = 3;
const MODES = ['without', 'with'] as const;
type Mode = (typeof MODES)[number];

if (process.argv[2] === 'serve') {
  await serve(process.argv[3] as Mode);
} else {
  await main();
}

/** The app under test; prints its port once it listens. */
async function serve(mode: Mode): Promise<void> {
  const app = express();
  let read: (req: Request) => string | undefined;
  if (mode === 'with') {
    const secrets = infisical();
    await secrets.ready();
    app.use(secrets);
    read = (req) => req.secrets.API_TOKEN;
  } else {
    const { values } = await loadSecrets();
    read = () => values.API_TOKEN;
  }
  app.get('/', (req, res) => {
    res.json({ length: read(req)?.length });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    console.log(`port ${(server.address() as { port: number }).port}`);
  });
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0, seed: DEMO_SEED_FILE });
  const env = {
    ...process.env,
    INFISICAL_SITE_URL: emulator.url,
    INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: 'demo-client-id',
    INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: 'demo-client-secret',
    INFISICAL_PROJECT_ID: '6f0b6a5e-8d4b-4f0e-9c59-2d3c1a7e0001',
    INFISICAL_ENVIRONMENT: 'dev',
  };
  const children: ChildProcess[] = [];
  const urls = {} as Record<Mode, string>;
  const rates: Record<Mode, number[]> = { without: [], with: [] };
  try {
    for (const mode of MODES) {
      const child = spawn(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), 'serve', mode],
        { env, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      children.push(child);
      urls[mode] = `http://127.0.0.1:${await portOf(child)}/`;
      await load(mode, urls[mode], WARMUP_SECONDS);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? MODES : [...MODES].reverse();
      for (const mode of order) {
        const result = await load(mode, urls[mode], SECONDS);
        rates[mode].push(result.requests.total / result.duration);
      }
    }
  } finally {
    for (const child of children) {
      child.kill();
      if (child.exitCode === null) await once(child, 'exit');
    }
    await emulator.close();
  }

  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const cpu = cpus();
  console.log(
    `node ${process.version}, ${cpu.length} cpus (${cpu[0]?.model.trim() ?? 'unknown'}); ` +
      `${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} runs each after ${WARMUP_SECONDS} s warm-up`,
  );
  for (const mode of MODES) {
    const label = mode === 'with' ? 'with infisical()' : 'without middleware';
    console.log(
      `${label.padEnd(20)} median ${fmt(median(rates[mode])).padStart(7)} req/s  (runs: ${rates[mode].map(fmt).join(', ')})`,
    );
  }
  const ratio = median(rates.with) / median(rates.without);
  console.log(`ratio with/without  ${ratio.toFixed(3)}`);
}

/** Loads `url` for `seconds`; fails on any non-2xx answer or connection error. */
async function load(mode: Mode, url: string, seconds: number): Promise<autocannon.Result> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${mode}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result;
}

async function portOf(child: ChildProcess): Promise<number> {
  let output = '';
  for await (const chunk of child.stdout as NodeJS.ReadableStream) {
    output += String(chunk);
    const match = output.match(/port (\d+)/);
    if (match) return Number(match[1]);
  }
  throw new Error(`the server exited before listening: ${output}`);
}
