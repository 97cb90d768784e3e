/**
 * The fleet as it runs: N separate Node processes (an Express app each, `@infisical/express`
 * with `fleet: redisFleet({ url })`; N = FLEET_PROCESSES, 10 by default) against one emulator
 * and one real redis-server.
 */
import { fileURLToPath } from 'node:url';
import type { Emulator } from '@infisical/emulator';
import {
  infisicalEnv,
  type RedisServer,
  type RunningProcess,
  startDemoEmulator,
  startProcess,
  startRedis,
} from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, LIST_ROUTE, LOGIN_ROUTE } from './helpers.ts';

const N = Number(process.env.FLEET_PROCESSES ?? 10);
const TTL_S = 3;
const packageDir = fileURLToPath(new URL('..', import.meta.url));

let redis: RedisServer;
let emulator: Emulator;
const instances: { proc: RunningProcess; url: string }[] = [];

/** The lines an instance printed that start with `word`. */
const lines = (proc: RunningProcess, word: string): string[] =>
  proc
    .output()
    .split('\n')
    .filter((line) => line.startsWith(`${word} `) || line === word);

/** What every instance's `GET /v` answers now (`null` for a failed read). */
const readAll = (): Promise<(string | null)[]> =>
  Promise.all(
    instances.map(async ({ url }) => {
      try {
        const response = await fetch(`${url}/v`, { signal: AbortSignal.timeout(2000) });
        return response.ok ? ((await response.json()) as { value: string }).value : null;
      } catch {
        return null;
      }
    }),
  );

beforeAll(async () => {
  redis = await startRedis();
  emulator = await startDemoEmulator();
  const env = infisicalEnv(emulator, { INFISICAL_CACHE_TTL: String(TTL_S), REDIS_URL: redis.url });
  const procs = Array.from({ length: N }, () =>
    startProcess(
      'node',
      ['--conditions=@infisical/source', '--import', 'tsx', 'test/fleet/instance.ts'],
      { cwd: packageDir, env },
    ),
  );
  await Promise.all(procs.map((proc) => proc.waitFor(/^WAITING$/m, 120_000)));
  emulator.clearRequests();
  // Every instance starts loading at the same moment: a cold start of the whole fleet.
  for (const proc of procs) proc.child.kill('SIGUSR2');
  const ports = await Promise.all(procs.map((proc) => proc.waitFor(/^LISTEN (\d+)$/m, 60_000)));
  for (const [index, proc] of procs.entries()) {
    instances.push({ proc, url: `http://127.0.0.1:${ports[index]?.[1]}` });
  }
}, 240_000);

afterAll(async () => {
  await Promise.all(instances.map(({ proc }) => proc.stop()));
  for (const { proc } of instances) expect(proc.output()).not.toContain('demo-client-secret');
  await emulator?.close();
  await redis?.stop();
});

/**
 * Rotates API_TOKEN to `value`, waits until every process heard `changes` changes in all and
 * reads `value`, then one more TTL (so a second onChange would have come).
 */
async function rotate(value: string, changes: number): Promise<void> {
  emulator.setSecret({ project: 'demo-app', environment: 'dev', key: 'API_TOKEN', value });
  await eventually(
    () => instances.every(({ proc }) => lines(proc, 'CHANGE').length === changes),
    4 * TTL_S * 1000,
  );
  expect(await readAll()).toEqual(Array(N).fill(value));
  await new Promise((resolve) => setTimeout(resolve, TTL_S * 1000));
}

describe(`a fleet of ${N} processes`, () => {
  it('cold-starting together makes one login and one list request', async () => {
    expect(emulator.requestCount(LOGIN_ROUTE)).toBe(1);
    expect(emulator.requestCount(LIST_ROUTE)).toBe(1);
    expect(await readAll()).toEqual(Array(N).fill('demo-api-token-0003'));
  });

  it('a rotation reaches every process: exactly one onChange each, the new value read', async () => {
    await rotate('rotated-1', 1);
    for (const { proc } of instances) expect(lines(proc, 'CHANGE')).toEqual(['CHANGE API_TOKEN']);
  });

  it('Redis killed mid-run and restarted: no failed read, one report each, every process rejoins', async () => {
    let reads = 0;
    let failed = 0;
    const poll = async (until: () => boolean): Promise<void> => {
      while (!until()) {
        for (const value of await readAll()) {
          reads++;
          if (value !== 'rotated-1') failed++;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await redis.kill();
    const downUntil = Date.now() + 2 * TTL_S * 1000;
    await poll(() => Date.now() > downUntil);
    await redis.restart();
    const deadline = Date.now() + 60_000;
    await poll(
      () =>
        Date.now() > deadline || instances.every(({ proc }) => lines(proc, 'REJOINED').length > 0),
    );
    expect(reads).toBeGreaterThan(N * 10);
    expect(failed).toBe(0);
    for (const { proc } of instances) {
      expect(lines(proc, 'REJOINED').length).toBeGreaterThan(0);
      expect(lines(proc, 'ERROR')).toEqual(['ERROR FLEET_UNAVAILABLE']);
    }
    // Rejoined: the fleet again makes about one list request per TTL, not one per process.
    await new Promise((resolve) => setTimeout(resolve, TTL_S * 1000));
    emulator.clearRequests();
    await new Promise((resolve) => setTimeout(resolve, 2 * TTL_S * 1000));
    expect(emulator.requestCount(LIST_ROUTE)).toBeLessThanOrEqual(4);
    expect(emulator.requestCount(LOGIN_ROUTE)).toBe(0);
  });

  it('after the outage, a rotation still reaches every process once', async () => {
    await rotate('rotated-2', 2);
    for (const { proc } of instances) expect(lines(proc, 'CHANGE')).toHaveLength(2);
  });
});
