/**
 * Core's `fleet` option through `InfisicalModule.forRoot`: two Nest application contexts (two
 * instances of one app) with their own `redisFleet({ url })` connections to one real
 * redis-server share one login and one list request.
 *
 * @module
 */
import type { Emulator } from '@infisical/emulator';
import { type RedisFleet, redisFleet } from '@infisical/redis';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type RedisServer, startDemoEmulator, startRedis } from 'test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InfisicalModule, InfisicalService } from '../src/index.ts';
import { demoOptions, LIST_ROUTE } from './helpers.ts';

const LOGIN_ROUTE = 'POST /api/v1/auth/universal-auth/login';

let emulator: Emulator;
let redis: RedisServer;
const fleets: RedisFleet[] = [];
const apps: INestApplicationContext[] = [];

beforeAll(async () => {
  [emulator, redis] = await Promise.all([startDemoEmulator(), startRedis()]);
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await Promise.all(fleets.map((fleet) => fleet.close()));
  await Promise.all([emulator?.close(), redis?.stop()]);
});

it('two app instances with fleet: redisFleet({ url }) make one login and one list request', async () => {
  const boot = (): Promise<INestApplicationContext> => {
    const fleet = redisFleet({ url: redis.url, prefix: 'nest-fleet-test:' });
    fleets.push(fleet);
    return NestFactory.createApplicationContext(
      InfisicalModule.forRoot(demoOptions(emulator, { fleet })),
      { logger: false },
    );
  };
  apps.push(await boot());
  apps.push(await boot());
  for (const app of apps) {
    expect(app.get(InfisicalService).get('API_TOKEN')).toBe('demo-api-token-0003');
  }
  expect(emulator.requestCount(LOGIN_ROUTE)).toBe(1);
  expect(emulator.requestCount(LIST_ROUTE)).toBe(1);
  // What Redis holds is sealed: no value, no key name.
  const raw = redis.cli('--scan', '--pattern', 'nest-fleet-test:*');
  expect(raw.split('\n').filter(Boolean).length).toBeGreaterThan(0);
  expect(raw).not.toContain('API_TOKEN');
});
