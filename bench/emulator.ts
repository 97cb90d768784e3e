/**
 * How fast the emulator starts, serves and persists: `pnpm --filter bench bench:emulator`.
 *
 * - start: `startEmulator()` to listening with a 1,000-secret seed object, with a 50,000-secret
 *   YAML seed file, and the CLI to its first answered request;
 * - list: GET /api/v3/secrets/raw of one folder holding 1,000 and 50,000 secrets, sequential, over
 *   loopback: the emulator's own handling time (its request log) for the first list after start,
 *   lists after a change to one secret, and unchanged lists; and the round trip through fetch;
 * - batch: one request each creating, updating and deleting 10,000 secrets (v3 batch raw);
 * - persistence: single creates in a project of 10,000 secrets, in memory and with `dataFile`
 *   (round trips: the write to the file is part of answering).
 *
 * Pass `--only=<name,...>` (start, list, batch, persist) to run some of them.
 *
 * @module bench/emulator
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, type SeedInput, startEmulator } from '@infisical/emulator';

const PROJECT = '0f0e0d0c-0b0a-4908-8706-050403020100';
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runs = (name: string): boolean => only === undefined || only.includes(name);

function seedWith(count: number): SeedInput {
  return {
    projects: [
      {
        slug: 'bench',
        id: PROJECT,
        environments: [
          {
            slug: 'dev',
            secrets: {
              '/': Object.fromEntries(
                Array.from({ length: count }, (_, i) => [
                  `SECRET_${i}`,
                  `value-${i}-${'x'.repeat(24)}`,
                ]),
              ),
            },
          },
        ],
      },
    ],
    identities: [
      {
        name: 'bench',
        universalAuth: { clientId: 'bench-id', clientSecret: 'bench-secret' },
        projects: { bench: 'admin' },
      },
    ],
  };
}

/** The same seed as YAML text, written the way a person would (one key per line). */
function yamlSeed(count: number): string {
  const lines = [
    'projects:',
    '  - slug: bench',
    `    id: ${PROJECT}`,
    '    environments:',
    '      - slug: dev',
    '        secrets:',
    '          /:',
  ];
  for (let i = 0; i < count; i++)
    lines.push(`            SECRET_${i}: value-${i}-${'x'.repeat(24)}`);
  lines.push(
    'identities:',
    '  - name: bench',
    '    universalAuth: { clientId: bench-id, clientSecret: bench-secret }',
    '    projects: { bench: admin }',
  );
  return `${lines.join('\n')}\n`;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};
const median = (values: number[]): number => percentile(values, 50);
const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;

async function login(emulator: Emulator): Promise<string> {
  const res = await fetch(`${emulator.url}/api/v1/auth/universal-auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: 'bench-id', clientSecret: 'bench-secret' }),
  });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function call(
  emulator: Emulator,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - t0, bytes: text.length };
}

/** The emulator's own handling times for a route, newest last. */
function handled(emulator: Emulator, route: string, last: number): number[] {
  return emulator
    .requests()
    .log.filter((entry) => entry.route === route)
    .slice(-last)
    .map((entry) => entry.durationMs);
}

async function benchStart(): Promise<void> {
  const small = seedWith(1000);
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const emulator = await startEmulator({ seed: small });
    times.push(performance.now() - t0);
    await emulator.close();
  }
  console.log(
    `start, 1,000-secret seed object: median ${fmt(median(times))}, max ${fmt(Math.max(...times))}`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'emulator-bench-'));
  const file = join(dir, 'seed.yaml');
  writeFileSync(file, yamlSeed(50_000));
  const big: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const emulator = await startEmulator({ seed: file });
    big.push(performance.now() - t0);
    await emulator.close();
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(`start, 50,000-secret YAML seed file: median ${fmt(median(big))}`);

  const cli = await startCli().catch(() => Number.NaN);
  console.log(
    `CLI start to first answer (built dist): ${Number.isNaN(cli) ? 'dist not built (run pnpm build)' : fmt(cli)}`,
  );
}

async function startCli(): Promise<number> {
  const cli = fileURLToPath(
    import.meta.resolve('@infisical/emulator').replace(/index\.(c?js|ts)$/, 'cli.js'),
  );
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, '--port', '0', '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d).trim()));
    child.once('exit', () => reject(new Error('the CLI exited')));
  });
  await fetch(`${url}/api/status`);
  const elapsed = performance.now() - t0;
  child.kill();
  return elapsed;
}

/**
 * Lists of one folder: the first after start (every row serialised), after a change to one secret
 * (the answer is rebuilt, unchanged rows reuse their JSON) and unchanged (the answer is reused).
 */
async function benchList(count: number, requests: number): Promise<void> {
  const route = 'GET /api/v3/secrets/raw';
  const path = `/api/v3/secrets/raw?workspaceId=${PROJECT}&environment=dev`;
  const first: number[] = [];
  for (let i = 0; i < 3; i++) {
    const emulator = await startEmulator({ seed: seedWith(count) });
    await call(emulator, await login(emulator), 'GET', path);
    first.push(...handled(emulator, route, 1));
    await emulator.close();
  }
  const emulator = await startEmulator({ seed: seedWith(count) });
  const token = await login(emulator);
  for (let i = 0; i < 3; i++) await call(emulator, token, 'GET', path);
  const changed: number[] = [];
  const trips: number[] = [];
  let bytes = 0;
  for (let i = 0; i < requests; i++) {
    emulator.setSecret({
      project: 'bench',
      environment: 'dev',
      key: 'SECRET_0',
      value: `changed-${i}`,
    });
    const res = await call(emulator, token, 'GET', path);
    changed.push(...handled(emulator, route, 1));
    trips.push(res.ms);
    bytes = res.bytes;
  }
  for (let i = 0; i < requests; i++) await call(emulator, token, 'GET', path);
  const unchanged = handled(emulator, route, requests);
  await emulator.close();
  console.log(
    `list ${count.toLocaleString('en')} secrets (${(bytes / 1024).toFixed(0)} KiB JSON), handled: first after start median ${fmt(median(first))}; ` +
      `after a one-secret change p50 ${fmt(median(changed))}, p95 ${fmt(percentile(changed, 95))} (round trip p50 ${fmt(median(trips))}); ` +
      `unchanged p50 ${fmt(median(unchanged))}`,
  );
}

async function benchBatch(): Promise<void> {
  const emulator = await startEmulator({ seed: seedWith(0) });
  const token = await login(emulator);
  const scope = { workspaceId: PROJECT, environment: 'dev', secretPath: '/' };
  const keys = Array.from({ length: 10_000 }, (_, i) => `BATCH_${i}`);
  const create = await call(emulator, token, 'POST', '/api/v3/secrets/batch/raw', {
    ...scope,
    secrets: keys.map((secretKey) => ({ secretKey, secretValue: `v1-${secretKey}` })),
  });
  const update = await call(emulator, token, 'PATCH', '/api/v3/secrets/batch/raw', {
    ...scope,
    secrets: keys.map((secretKey) => ({ secretKey, secretValue: `v2-${secretKey}` })),
  });
  const remove = await call(emulator, token, 'DELETE', '/api/v3/secrets/batch/raw', {
    ...scope,
    secrets: keys.map((secretKey) => ({ secretKey })),
  });
  const ids = ['POST', 'PATCH', 'DELETE'].map(
    (method) => handled(emulator, `${method} /api/v3/secrets/batch/raw`, 1)[0] as number,
  );
  await emulator.close();
  const statuses = [create.status, update.status, remove.status].join('/');
  console.log(
    `batch of 10,000 (statuses ${statuses}): create handled in ${fmt(ids[0] as number)} (round trip ${fmt(create.ms)}), ` +
      `update ${fmt(ids[1] as number)} (${fmt(update.ms)}), delete ${fmt(ids[2] as number)} (${fmt(remove.ms)})`,
  );
}

async function benchPersist(): Promise<void> {
  const createMany = async (dataFile?: string): Promise<number[]> => {
    const emulator = await startEmulator({
      seed: seedWith(10_000),
      ...(dataFile ? { dataFile } : {}),
    });
    const token = await login(emulator);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await call(emulator, token, 'POST', `/api/v3/secrets/raw/NEW_${i}`, {
        workspaceId: PROJECT,
        environment: 'dev',
        secretValue: `value-${i}`,
      });
      times.push(res.ms);
    }
    await emulator.close();
    return times;
  };
  const memory = await createMany();
  const dir = mkdtempSync(join(tmpdir(), 'emulator-bench-'));
  const persisted = await createMany(join(dir, 'state', 'data.json'));
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `create one secret at 10,000 (round trip): in memory p50 ${fmt(median(memory))}; with dataFile p50 ${fmt(median(persisted))}, p95 ${fmt(percentile(persisted, 95))}`,
  );
}

console.log(`node ${process.version}, ${cpus().length} cpus`);
if (runs('start')) await benchStart();
if (runs('list')) {
  await benchList(1000, 200);
  await benchList(50_000, 20);
}
if (runs('batch')) await benchBatch();
if (runs('persist')) await benchPersist();
