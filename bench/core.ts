/**
 * @infisical/core against the official @infisical/sdk (5.0.2), both talking to the same
 * emulator over loopback in one run: `pnpm --filter bench bench:core` (build the packages first).
 *
 * - cold start: a fresh client's first read — requests the emulator answered, and time;
 * - warm reads: reads per second of one key once the client is warm (ours: the cache; the SDK has none);
 * - 1,000 concurrent reads of one key on a cold client: requests the emulator answered;
 * - warm reads with a scope option: the same with `{ path }` and `{ projectId, environment }`;
 * - install size: `npm install` of each package (with its dependencies) into an empty folder;
 * - AES-256-GCM: MB/s of encrypt + decrypt against raw `node:crypto` with the same format.
 *
 * `CORE_MODULE=<path to a built index.js>` runs the same against another build of
 * `@infisical/core` (a before/after comparison); the install size is then not measured.
 * `BENCH_ONLY=warm,crypto` runs only some parts.
 */
import { execFileSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SeedInput, startEmulator } from '@infisical/emulator';
import { InfisicalSDK } from '@infisical/sdk';
import { benchSecrets, benchSeed } from './seed.ts';

const { createSymmetricKey, decryptSymmetric, encryptSymmetric, InfisicalClient } = (await import(
  process.env.CORE_MODULE ?? '@infisical/core'
)) as typeof import('@infisical/core');

const PROJECT = 'bench-project-0000-0000-000000000001';
const seed: SeedInput = benchSeed(
  PROJECT,
  benchSecrets(100, 'SECRET_', (i) => `fake-value-${i}`),
  { clientId: 'bench-id', clientSecret: 'bench-secret-fake' },
);
const credentials = { clientId: 'bench-id', clientSecret: 'bench-secret-fake' };
const scope = { projectId: PROJECT, environment: 'dev' };

const emulator = await startEmulator({ seed });
const ours = () =>
  new InfisicalClient({
    siteUrl: emulator.url,
    auth: { universalAuth: credentials },
    ...scope,
    env: {},
    refreshInterval: 0,
  });
const theirs = async () => {
  const sdk = new InfisicalSDK({ siteUrl: emulator.url });
  await sdk.auth().universalAuth.login(credentials);
  return sdk;
};

const rows: [string, string, string, string][] = [];
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function coldStart(): Promise<void> {
  const times = { ours: [] as number[], theirs: [] as number[] };
  let oursRequests = 0;
  let theirRequests = 0;
  for (let i = 0; i < 20; i++) {
    emulator.clearRequests();
    let t0 = performance.now();
    await ours().getSecret('SECRET_1');
    times.ours.push(performance.now() - t0);
    oursRequests = emulator.requestCount();
    emulator.clearRequests();
    t0 = performance.now();
    const sdk = await theirs();
    await sdk.secrets().getSecret({ ...scope, secretName: 'SECRET_1' });
    times.theirs.push(performance.now() - t0);
    theirRequests = emulator.requestCount();
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  rows.push([
    'cold start: requests',
    String(oursRequests),
    String(theirRequests),
    'ours = exactly 2',
  ]);
  rows.push([
    'cold start: median time',
    `${fmt(median(times.ours), 2)} ms`,
    `${fmt(median(times.theirs), 2)} ms`,
    '',
  ]);
}

async function warmReads(): Promise<void> {
  const client = ours();
  await client.getSecret('SECRET_1');
  const sdk = await theirs();
  await sdk.secrets().getSecret({ ...scope, secretName: 'SECRET_1' });
  const rate = async (read: () => Promise<unknown>, ms: number) => {
    const end = performance.now() + ms;
    let count = 0;
    while (performance.now() < end) {
      for (let i = 0; i < 100; i++) await read();
      count += 100;
    }
    return count / (ms / 1000);
  };
  await rate(() => client.getSecret('SECRET_1'), 300);
  const oursRate = await rate(() => client.getSecret('SECRET_1'), 2000);
  const theirRate = await rate(
    () => sdk.secrets().getSecret({ ...scope, secretName: 'SECRET_1' }),
    2000,
  );
  rows.push([
    'warm reads per second',
    fmt(oursRate),
    fmt(theirRate),
    `${fmt(oursRate / theirRate)}× (target ≥ 1000×)`,
  ]);
  // The same read naming its scope: it should cost what the plain read costs.
  for (const [label, options] of [
    ['{ path }', { path: '/' }],
    ['{ projectId, environment }', { ...scope }],
  ] as const) {
    await rate(() => client.getSecret('SECRET_1', options), 300);
    const plain = await rate(() => client.getSecret('SECRET_1'), 1000);
    const scoped = await rate(() => client.getSecret('SECRET_1', options), 1000);
    rows.push([
      `warm reads per second with ${label}`,
      fmt(scoped),
      '',
      `${fmt(scoped / plain, 2)}× of the plain read`,
    ]);
  }
}

async function concurrentReads(): Promise<void> {
  emulator.clearRequests();
  const client = ours();
  await Promise.all(Array.from({ length: 1000 }, () => client.getSecret('SECRET_1')));
  const oursLists = emulator.requestCount('GET /api/v3/secrets/raw');
  const oursTotal = emulator.requestCount();
  const sdk = await theirs();
  emulator.clearRequests();
  await Promise.all(
    Array.from({ length: 1000 }, () =>
      sdk.secrets().getSecret({ ...scope, secretName: 'SECRET_1' }),
    ),
  );
  const theirTotal = emulator.requestCount();
  rows.push([
    '1,000 concurrent cold reads: requests',
    `${oursTotal} (${oursLists} list)`,
    `${theirTotal} (+1 login before)`,
    'ours = 1 list',
  ]);
}

function installSize(): void {
  const dirSize = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
      const path = join(dir, entry.name);
      return sum + (entry.isDirectory() ? dirSize(path) : entry.isFile() ? statSync(path).size : 0);
    }, 0);
  const install = (spec: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-install-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{"name":"bench-install","private":true}');
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', spec], {
        cwd: dir,
        stdio: 'ignore',
      });
      const packages = readdirSync(join(dir, 'node_modules'), {
        recursive: true,
        encoding: 'utf8',
      }).filter(
        (p) =>
          p.endsWith('package.json') &&
          p.split('node_modules').length <= 2 &&
          p.split('/').length <= 3,
      ).length;
      return { bytes: dirSize(join(dir, 'node_modules')), packages };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const coreDir = fileURLToPath(new URL('../packages/core', import.meta.url));
  const packDir = mkdtempSync(join(tmpdir(), 'bench-pack-'));
  try {
    execFileSync('pnpm', ['pack', '--pack-destination', packDir], {
      cwd: coreDir,
      stdio: 'ignore',
    });
    const tarball = join(packDir, readdirSync(packDir)[0] as string);
    const oursSize = install(tarball);
    const theirSize = install('@infisical/sdk@5.0.2');
    rows.push([
      'install size with dependencies',
      `${fmt(oursSize.bytes / 1024)} KiB`,
      `${fmt(theirSize.bytes / 1024 / 1024, 1)} MiB`,
      `${fmt((oursSize.bytes / theirSize.bytes) * 100, 2)} % (target ≤ 10 %)`,
    ]);
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}

async function crypto(): Promise<void> {
  const key = createSymmetricKey();
  const raw = Buffer.from(key, 'base64');
  const ours = async (plaintext: string) => {
    await decryptSymmetric(await encryptSymmetric(plaintext, key), key);
  };
  // The same format with node:crypto directly, as the legacy infisical-node SDK did it.
  const node = (plaintext: string) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', raw, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed = {
      ciphertext: ciphertext.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
    const decipher = createDecipheriv('aes-256-gcm', raw, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  };
  for (const size of [1024, 64 * 1024]) {
    const plaintext = 'x'.repeat(size);
    const rounds = Math.max(20, Math.floor(4e6 / size));
    const rate = async (fn: (p: string) => Promise<void> | void) => {
      const t0 = performance.now();
      for (let i = 0; i < rounds; i++) await fn(plaintext);
      return (rounds * size) / 1024 / 1024 / ((performance.now() - t0) / 1000);
    };
    // Many short interleaved chunks (the first ones as warm-up), and the median of the ratios:
    // a machine that gets busier or quieter affects both sides of a pair alike.
    const ratios: number[] = [];
    const oursRates: number[] = [];
    const nodeRates: number[] = [];
    for (let chunk = 0; chunk < 40; chunk++) {
      const a = await rate(ours);
      const b = await rate(node);
      if (chunk < 5) continue;
      oursRates.push(a);
      nodeRates.push(b);
      ratios.push(a / b);
    }
    const median = (values: number[]) =>
      [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] as number;
    rows.push([
      `AES-256-GCM encrypt+decrypt, ${size / 1024} KiB`,
      `${fmt(median(oursRates))} MiB/s`,
      `${fmt(median(nodeRates))} MiB/s (raw node:crypto)`,
      `${fmt(median(ratios), 2)}× (target ≥ 0.95×)`,
    ]);
  }
}

/** `BENCH_ONLY=warm,crypto` runs only those parts (cold, warm, concurrent, crypto, install). */
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (part: string) => only === undefined || only.includes(part);
if (wanted('cold')) await coldStart();
if (wanted('warm')) await warmReads();
if (wanted('concurrent')) await concurrentReads();
if (wanted('crypto')) await crypto();
if (wanted('install') && process.env.CORE_MODULE === undefined) installSize();
await emulator.close();

console.log(
  `${process.env.CORE_MODULE ?? '@infisical/core'} vs @infisical/sdk 5.0.2 — node ${process.version}, ${cpus().length} cpus, ${new Date().toISOString().slice(0, 10)}\n`,
);
const widths = [0, 1, 2, 3].map((i) =>
  Math.max(
    ...[['measure', '@infisical/core', '@infisical/sdk', 'ratio / target'], ...rows].map(
      (r) => (r[i] as string).length,
    ),
  ),
);
for (const row of [['measure', '@infisical/core', '@infisical/sdk', 'ratio / target'], ...rows]) {
  console.log(`| ${row.map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ')} |`);
}
