import type { Emulator } from '@infisical/emulator';
import { type RedisServer, startDemoEmulator, startRedis } from 'test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  closeAll,
  errorsOf,
  eventually,
  fleetClient,
  fleetOn,
  LIST_ROUTE,
  LOGIN_ROUTE,
} from './helpers.ts';

let redis: RedisServer;
let emulator: Emulator;
beforeAll(async () => {
  redis = await startRedis();
  emulator = await startDemoEmulator();
});
afterAll(async () => {
  await emulator?.close();
  await redis?.stop();
});
beforeEach(() => {
  emulator.reset();
  redis.cli('FLUSHALL');
});
afterEach(closeAll);

describe('clients sharing one Redis', () => {
  it('a cold start of 8 clients makes one login and one list request', async () => {
    const clients = Array.from({ length: 8 }, () => fleetClient(emulator, fleetOn(redis.url)));
    const values = await Promise.all(clients.map((client) => client.getSecret('API_TOKEN')));
    expect(values.map((secret) => secret.value)).toEqual(Array(8).fill('demo-api-token-0003'));
    expect(emulator.requestCount(LOGIN_ROUTE)).toBe(1);
    expect(emulator.requestCount(LIST_ROUTE)).toBe(1);
  });
});
