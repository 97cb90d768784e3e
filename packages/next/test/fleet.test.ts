/**
 * Core's `fleet` option through `register()` of `@infisical/next/runtime`: two server starts
 * (two instances of one app, one after the other in this process) with their own
 * `redisFleet({ url })` connections to one real redis-server share one login and one list.
 *
 * @module
 */
import type { Emulator } from '@infisical/emulator';
import { type RedisFleet, redisFleet } from '@infisical/redis';
import {
  DEMO_CREDENTIALS,
  DEMO_PROJECT_ID,
  type RedisServer,
  startDemoEmulator,
  startRedis,
} from 'test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeSecrets, getSecret, register } from '../src/runtime.ts';

const LOGIN_ROUTE = 'POST /api/v1/auth/universal-auth/login';
const LIST_ROUTE = 'GET /api/v3/secrets/raw';

let emulator: Emulator;
let redis: RedisServer;
const fleets: RedisFleet[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  [emulator, redis] = await Promise.all([startDemoEmulator(), startRedis()]);
});
afterAll(async () => {
  await closeSecrets();
  await Promise.all(fleets.map((fleet) => fleet.close()));
  await Promise.all([emulator?.close(), redis?.stop()]);
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

it('two starts with register({ fleet: redisFleet({ url }) }) make one login and one list request', async () => {
  for (let start = 0; start < 2; start++) {
    const fleet = redisFleet({ url: redis.url, prefix: 'next-fleet-test:' });
    fleets.push(fleet);
    await closeSecrets();
    await register({
      siteUrl: emulator.url,
      auth: { universalAuth: { ...DEMO_CREDENTIALS } },
      projectId: DEMO_PROJECT_ID,
      environment: 'dev',
      fleet,
    });
    expect(await getSecret('SESSION_SECRET')).toBe('demo-session-secret-3f9a1c');
  }
  expect(emulator.requestCount(LOGIN_ROUTE)).toBe(1);
  expect(emulator.requestCount(LIST_ROUTE)).toBe(1);
});
