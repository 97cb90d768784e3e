/**
 * What `redactLogs` costs through an adapter: `pnpm --filter bench bench:redaction` (runs the
 * packages from source). Nest's own `ConsoleLogger` (which writes to `process.stdout` directly,
 * so `@infisical/nestjs` wraps its printing steps) logs with and without an application context
 * holding `InfisicalModule.forRoot({ redactLogs: true })`, over 500 secrets loaded from the
 * emulator. Rounds alternate without and with redaction (the module is closed and opened again),
 * so a machine getting busier affects both alike; each figure is the median over the rounds of
 * microseconds per call, the output thrown away.
 */
import 'reflect-metadata';
import { cpus } from 'node:os';
import { type SeedInput, startEmulator } from '@infisical/emulator';
import { InfisicalModule } from '@infisical/nestjs';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { benchSecrets, benchSeed } from './seed.ts';

const SECRETS = 500;
const ROUNDS = 7;
const CALLS = 20_000;
const PROJECT = 'bench-project-0000-0000-000000000003';
const credentials = { clientId: 'bench-id', clientSecret: 'bench-secret-fake-redaction' };
const value = (i: number): string => `fake-secret-value-${i}-${'x'.repeat(i % 24)}`;

const seed: SeedInput = benchSeed(PROJECT, benchSecrets(SECRETS, 'S_', value), credentials);

const emulator = await startEmulator({ seed });
const options = {
  siteUrl: emulator.url,
  auth: { universalAuth: credentials },
  projectId: PROJECT,
  environment: 'dev',
  env: {},
  redactLogs: true,
};

const logger = new ConsoleLogger('Bench', { colors: false, timestamp: false });
const stack = new Error(`request failed with ${value(250)}`).stack ?? '';
const cases: [string, () => void][] = [
  ['`logger.log` of a string, no secret', () => logger.log('GET /orders 200 in 4 ms')],
  ['`logger.log` of a string with a secret', () => logger.log(`token=${value(250)} accepted`)],
  ['`logger.error` with an `Error` stack holding a secret', () => logger.error('failed', stack)],
];

/** Microseconds per call of each case, with stdout and stderr thrown away. */
function measure(): number[] {
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = (() => true) as typeof out;
  process.stderr.write = (() => true) as typeof err;
  try {
    return cases.map(([, call]) => {
      for (let i = 0; i < 1000; i++) call();
      const t0 = performance.now();
      for (let i = 0; i < CALLS; i++) call();
      return ((performance.now() - t0) * 1000) / CALLS;
    });
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const without: number[][] = cases.map(() => []);
const withRedaction: number[][] = cases.map(() => []);
/** Adds one round's figures to `into`, case by case. */
const record = (into: number[][], round: number[]): void => {
  for (const [index, us] of round.entries()) into[index]?.push(us);
};
try {
  for (let round = 0; round < ROUNDS; round++) {
    record(without, measure());
    const app = await NestFactory.createApplicationContext(InfisicalModule.forRoot(options), {
      logger: false,
    });
    record(withRedaction, measure());
    await app.close();
  }
} finally {
  await emulator.close();
}

console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`);
console.log(
  `| Nest ConsoleLogger, ${SECRETS} secrets | without redaction | with redactLogs | overhead |`,
);
console.log('|---|---|---|---|');
cases.forEach(([label], index) => {
  const plain = median(without[index] as number[]);
  const redacted = median(withRedaction[index] as number[]);
  console.log(
    `| ${label} | ${plain.toFixed(2)} µs | ${redacted.toFixed(2)} µs | +${(redacted - plain).toFixed(2)} µs |`,
  );
});
