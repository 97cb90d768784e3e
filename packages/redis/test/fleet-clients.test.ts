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

describe('change events across the fleet', () => {
  it('one client finds a rotation; every client hears it once, with the changed keys', async () => {
    const clients = Array.from({ length: 4 }, () =>
      fleetClient(emulator, fleetOn(redis.url), { refreshInterval: false }),
    );
    await Promise.all(clients.map((client) => client.listSecrets()));
    const heard = clients.map(() => [] as string[][]);
    for (const [index, client] of clients.entries()) {
      client.onChange((change) => heard[index]?.push(change.changed));
    }
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'API_TOKEN',
      value: 'rotated-1',
    });
    emulator.clearRequests();
    await clients[0]?.refresh();
    await eventually(() => heard.every((one) => one.length === 1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard).toEqual(Array(4).fill([['API_TOKEN']]));
    expect(emulator.requestCount(LIST_ROUTE)).toBe(1);
    for (const client of clients)
      expect((await client.getSecret('API_TOKEN')).value).toBe('rotated-1');
  });

  it('a write through one client is read back by every client', async () => {
    const [writer, reader] = [
      fleetClient(emulator, fleetOn(redis.url), { refreshInterval: false }),
      fleetClient(emulator, fleetOn(redis.url), { refreshInterval: false }),
    ];
    await Promise.all([writer?.listSecrets(), reader?.listSecrets()]);
    await writer?.updateSecret('APP_NAME', { value: 'written-by-one' });
    expect((await writer?.getSecret('APP_NAME'))?.value).toBe('written-by-one');
    await eventually(async () => (await reader?.getSecret('APP_NAME'))?.value === 'written-by-one');
  });
});

describe('what Redis holds', () => {
  it('a raw reader sees no value, token, key name, project or path; only sealed entries', async () => {
    const client = fleetClient(emulator, fleetOn(redis.url));
    await client.listSecrets();
    await client.listSecrets({ path: '/payments' });
    const keys = redis.cli('--scan').trim().split('\n').filter(Boolean);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const dump = keys.map((key) => `${key}=${redis.cli('GET', key)}`).join('\n');
    for (const clear of [
      'demo-api-token-0003',
      'demo-db-password',
      'sk_test_demo_0000000000',
      'API_TOKEN',
      'STRIPE_KEY',
      'DB_PASSWORD',
      'payments',
      'dev',
      '6f0b6a5e',
      'demo-client',
      'eyJ', // any JWT (the access token)
    ]) {
      expect(dump).not.toContain(clear);
    }
    for (const key of keys) expect(key).toMatch(/^infisical:(cache|token|lock):[0-9a-f]{16}:/);
  });

  it("another identity's instances neither read nor overwrite the entries", async () => {
    const admin = fleetClient(emulator, fleetOn(redis.url));
    await admin.listSecrets();
    const viewer = fleetClient(emulator, fleetOn(redis.url), {
      credentials: { clientId: 'demo-viewer-client-id', clientSecret: 'demo-viewer-client-secret' },
    });
    emulator.clearRequests();
    await viewer.listSecrets();
    // The viewer logged in and fetched for itself: the admin's entries are not its own.
    expect(emulator.requestCount(LOGIN_ROUTE)).toBe(1);
    expect(emulator.requestCount(LIST_ROUTE)).toBe(1);
    const ids = new Set(
      redis
        .cli('--scan', '--pattern', 'infisical:cache:*')
        .trim()
        .split('\n')
        .map((key) => key.split(':')[2]),
    );
    expect(ids.size).toBe(2);
  });

  it('an entry moved under another name, or tampered with, is not used', async () => {
    const first = fleetClient(emulator, fleetOn(redis.url));
    await first.listSecrets();
    await first.listSecrets({ path: '/payments' });
    const [root, payments] = redis
      .cli('--scan', '--pattern', 'infisical:cache:*')
      .trim()
      .split('\n');
    // Swap the two folders' entries: each now holds the other's sealed text.
    const rootValue = redis.cli('GET', root as string).trim();
    const paymentsValue = redis.cli('GET', payments as string).trim();
    redis.cli('SET', root as string, paymentsValue, 'PX', '60000');
    redis.cli('SET', payments as string, rootValue, 'PX', '60000');
    emulator.clearRequests();
    const second = fleetClient(emulator, fleetOn(redis.url));
    expect((await second.getSecret('API_TOKEN')).value).toBe('demo-api-token-0003');
    expect((await second.getSecret('STRIPE_KEY', { path: '/payments' })).value).toBe(
      'sk_test_demo_0000000000',
    );
    expect(emulator.requestCount(LIST_ROUTE)).toBe(2);
  });
});

describe('Redis down or slow', () => {
  it('reads go on, the outage is reported once, and the client rejoins when Redis returns', async () => {
    const { errors, onError } = errorsOf();
    const logs: string[] = [];
    const client = fleetClient(emulator, fleetOn(redis.url), {
      cacheTtl: 1,
      onError,
      debug: { debug: (message) => logs.push(message) },
    });
    await client.listSecrets();
    await redis.kill();
    for (let i = 0; i < 5; i++) {
      expect((await client.getSecret('API_TOKEN')).value).toBe('demo-api-token-0003');
      await client.refresh();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(errors.map((error) => error.code)).toEqual(['FLEET_UNAVAILABLE']);
    await redis.restart();
    await eventually(() => logs.some((line) => line.includes('rejoined the fleet')), 20_000);
    // Joined again: a second client is served by the first one's fetch.
    await client.refresh();
    emulator.clearRequests();
    const second = fleetClient(emulator, fleetOn(redis.url), { cacheTtl: 1 });
    await second.listSecrets();
    expect(emulator.requestCount(LIST_ROUTE)).toBe(0);
    expect(errors.map((error) => error.code)).toEqual(['FLEET_UNAVAILABLE']);
  });

  it('a store that hangs costs one time limit, then reads go straight to Infisical', async () => {
    const { errors, onError } = errorsOf();
    const hanging = new Promise<never>(() => undefined);
    const client = fleetClient(emulator, undefined, {
      onError,
      fleet: {
        cache: { get: () => hanging, set: () => hanging, delete: () => hanging },
        timeout: 100,
      },
    });
    const started = Date.now();
    expect((await client.getSecret('API_TOKEN')).value).toBe('demo-api-token-0003');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(errors.map((error) => error.code)).toEqual(['FLEET_UNAVAILABLE']);
  });
});
