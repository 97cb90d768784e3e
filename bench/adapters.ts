/**
 * What a warm read of one secret costs through each adapter, against core's own reads, with
 * 50,000 secrets in the folder: `pnpm --filter bench bench:adapters` (build the packages first).
 *
 * Every reader is loaded once from the same emulator, then one key is read in a tight loop:
 *
 * - core `handle.get(key)` (`loadSecrets`) and core `client.getSecret(key)` (awaited);
 * - Next: `getSecret(key)` from `@infisical/next/runtime` after `register()` (awaited);
 * - Nest: `InfisicalService.get(key)` from an application context with `InfisicalModule.forRoot`;
 * - Express: the middleware run on a request object, then `req.secrets[key]`.
 *
 * Each figure is the median of 7 timed batches after a warm-up; the ratio is against
 * `handle.get`.
 */
import 'reflect-metadata';
import { cpus } from 'node:os';
import { InfisicalClient, loadSecrets } from '@infisical/core';
import { type SeedInput, startEmulator } from '@infisical/emulator';
import { infisical } from '@infisical/express';
import { InfisicalModule, InfisicalService } from '@infisical/nestjs';
import { getSecret, register } from '@infisical/next/runtime';
import { NestFactory } from '@nestjs/core';
import { benchSecrets, benchSeed } from './seed.ts';

const SECRETS = 50_000;
const KEY = `SECRET_${SECRETS / 2}`;
const BATCHES = 7;
const PROJECT = 'bench-project-0000-0000-000000000002';
const credentials = { clientId: 'bench-id', clientSecret: 'bench-secret-fake' };

const seed: SeedInput = benchSeed(
  PROJECT,
  benchSecrets(SECRETS, 'SECRET_', (i) => `fake-value-${i}`),
  credentials,
);

const emulator = await startEmulator({ seed });
const options = {
  siteUrl: emulator.url,
  auth: { universalAuth: credentials },
  projectId: PROJECT,
  environment: 'dev',
  env: {},
};

/** Median nanoseconds per call of `read`, over batches sized to last about 100 ms each. */
async function nsPerRead(read: () => unknown): Promise<number> {
  const probe = read();
  const isAsync = probe instanceof Promise;
  await probe;
  const timeBatch = async (n: number): Promise<number> => {
    const t0 = performance.now();
    if (isAsync) for (let i = 0; i < n; i++) await read();
    else for (let i = 0; i < n; i++) read();
    return performance.now() - t0;
  };
  let n = 1000;
  while ((await timeBatch(n)) < 20) n *= 4;
  n = Math.max(1000, Math.round(n * 5));
  const perRead: number[] = [];
  for (let batch = 0; batch < BATCHES; batch++) perRead.push(((await timeBatch(n)) * 1e6) / n);
  return [...perRead].sort((a, b) => a - b)[Math.floor(BATCHES / 2)] as number;
}

const rows: [string, number][] = [];
try {
  const handle = await loadSecrets(options);
  rows.push(['core handle.get(key)', await nsPerRead(() => handle.get(KEY))]);

  const client = new InfisicalClient(options);
  rows.push(['core client.getSecret(key)', await nsPerRead(() => client.getSecret(KEY))]);

  await register(options);
  rows.push(['next getSecret(key)', await nsPerRead(() => getSecret(KEY))]);

  const nest = await NestFactory.createApplicationContext(InfisicalModule.forRoot(options), {
    logger: false,
  });
  const service = nest.get(InfisicalService);
  rows.push(['nest InfisicalService.get(key)', await nsPerRead(() => service.get(KEY))]);

  const middleware = infisical(options);
  await middleware.ready();
  const next = (): void => {};
  rows.push([
    'express middleware + req.secrets[key]',
    await nsPerRead(() => {
      const req = {} as { secrets: Readonly<Record<string, string>> };
      middleware(req, undefined, next);
      return req.secrets[KEY];
    }),
  ]);

  await nest.close();
  middleware.close();
  client.close();
  await handle.close();
} finally {
  await emulator.close();
}

const cpu = cpus();
console.log(
  `node ${process.version}, ${cpu.length} cpus (${cpu[0]?.model.trim() ?? 'unknown'}); ` +
    `${SECRETS.toLocaleString('en-US')} secrets in the folder, median of ${BATCHES} batches`,
);
const base = rows[0]?.[1] ?? 1;
console.log('| read | per read | × handle.get |\n|---|---|---|');
for (const [label, ns] of rows) {
  const shown = ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(1)} ns`;
  console.log(`| ${label} | ${shown} | ${(ns / base).toFixed(1)}× |`);
}
