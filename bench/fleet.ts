/**
 * Fleets: `pnpm --filter bench bench:fleet` (runs on the sources, no build needed). Each scenario
 * runs with `@infisical/redis` (every instance its own `redisFleet({ url })` connections to one
 * real redis-server) and without, against its own emulator, and prints one summary line:
 *
 * - cold start: N = 20 instances load together; logins and list requests at the emulator (goal 1
 *   and 1 with Redis, against 20 and 20), and the wall time until all are ready;
 * - rotation: a secret changes; time until every instance's `onChange` fired and every instance
 *   reads the new value: by polling (`updates: 'poll'`, bounded by the 5 s TTL), by the event
 *   stream (with Redis `'auto'`: one stream for the fleet; alone `'events'`: a stream each, 5
 *   accepted), by webhooks (signed, through `createWebhookReceiver` behind a node:http server,
 *   the emulator's collapse window shortened to 20 ms); the push scenarios report p50/p99/max of
 *   10 rotations and run with a 300 s TTL with Redis, so polling cannot be what delivers;
 * - steady state: 60 s, 5 s TTL, N = 5, 10, 20; list requests per minute at the emulator (goal:
 *   independent of N with Redis);
 * - Redis killed mid-run and started again: failed reads (goal 0) and the time until every
 *   instance rejoined.
 *
 * Instances are clients in this process, each with its own fleet connections: what a pod would
 * have, without N Node start-ups on a 2-core machine. `FLEET_STEADY_MS` shortens the steady state;
 * `FLEET_ONLY=push` runs only the event-stream and webhook scenarios, `FLEET_ONLY=steady` only the
 * steady state and the Redis outage.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  createWebhookReceiver,
  InfisicalClient,
  type InfisicalClientOptions,
  type WebhookReceiver,
} from '@infisical/core';
import { DEMO_SEED_FILE, type Emulator, loadSeedFile, startEmulator } from '@infisical/emulator';
import { type RedisFleet, redisFleet } from '@infisical/redis';
import { DEMO_CREDENTIALS, DEMO_PROJECT_ID, type RedisServer, startRedis } from 'test-utils';

const LIST = 'GET /api/v3/secrets/raw';
const LOGIN = 'POST /api/v1/auth/universal-auth/login';
const SUBSCRIBE = 'POST /api/v1/events/subscribe/project-events';
const TTL_S = 5;
const STEADY_MS = Number(process.env.FLEET_STEADY_MS ?? 60_000);

interface Instance {
  client: InfisicalClient;
  fleet: RedisFleet | undefined;
  rejoinedAt: number | undefined;
  downReports: number;
  /** Times this instance waited for another's fetch in vain and fetched itself. */
  ownFetches: number;
}

/** Instances of one run: clients on `emulator`, sharing Redis when `redis` is given. */
function instances(
  n: number,
  emulator: Emulator,
  redis: RedisServer | undefined,
  prefix: string,
  extra: Partial<InfisicalClientOptions> = {},
): Instance[] {
  return Array.from({ length: n }, () => {
    const fleet = redis && redisFleet({ url: redis.url, prefix });
    const instance: Instance = {
      client: undefined as never,
      fleet,
      rejoinedAt: undefined,
      downReports: 0,
      ownFetches: 0,
    };
    instance.client = new InfisicalClient({
      siteUrl: emulator.url,
      auth: { universalAuth: { ...DEMO_CREDENTIALS } },
      projectId: DEMO_PROJECT_ID,
      environment: 'dev',
      env: {},
      cacheTtl: TTL_S,
      ...(fleet === undefined ? {} : { fleet }),
      onError: (error) => {
        if (error.code === 'FLEET_UNAVAILABLE') instance.downReports++;
      },
      debug: {
        debug: (message) => {
          if (message.includes('rejoined the fleet')) instance.rejoinedAt = performance.now();
          if (message.startsWith('No fleet result')) instance.ownFetches++;
        },
      },
      ...extra,
    });
    return instance;
  });
}

async function closeAll(list: Instance[]): Promise<void> {
  for (const one of list) one.client.close();
  await Promise.all(list.map((one) => one.fleet?.close()));
}

const label = (redis: RedisServer | undefined): string =>
  redis ? 'with @infisical/redis' : 'without (each alone) ';

async function coldStart(redis: RedisServer | undefined): Promise<void> {
  const emulator = await startEmulator({ port: 0, seed: DEMO_SEED_FILE });
  const fleet = instances(20, emulator, redis, `bench-cold-${Date.now()}:`);
  const started = performance.now();
  await Promise.all(fleet.map((one) => one.client.getSecret('API_TOKEN')));
  const wall = performance.now() - started;
  console.log(
    `cold start, N=20, ${label(redis)}: ${emulator.requestCount(LOGIN)} logins, ${emulator.requestCount(LIST)} list requests, all ready in ${wall.toFixed(0)} ms`,
  );
  await closeAll(fleet);
  await emulator.close();
}

/** Rotates API_TOKEN to `value`; ms until every instance's `onChange` fired and it reads `value`. */
async function timeRotation(
  fleet: Instance[],
  emulator: Emulator,
  value: string,
  timeoutMs = 30_000,
): Promise<number> {
  let heard = 0;
  const unsubscribe = fleet.map((one) =>
    one.client.onChange((change) => {
      if (change.changed.includes('API_TOKEN')) heard++;
    }),
  );
  const started = performance.now();
  emulator.setSecret({ project: 'demo-app', environment: 'dev', key: 'API_TOKEN', value });
  try {
    for (;;) {
      if (heard >= fleet.length) {
        const values = await Promise.all(fleet.map((one) => one.client.getSecret('API_TOKEN')));
        if (values.every((secret) => secret.value === value)) return performance.now() - started;
      }
      if (performance.now() - started > timeoutMs) return Number.POSITIVE_INFINITY;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    for (const stop of unsubscribe) stop();
  }
}

/** `p50 / p99 / max` of `times` (nearest rank), in ms. */
function percentiles(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const rank = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
  const ms = (t: number): string => (Number.isFinite(t) ? `${t.toFixed(0)} ms` : 'timed out');
  return `p50 ${ms(rank(50))}, p99 ${ms(rank(99))}, max ${ms(sorted.at(-1) as number)}`;
}

async function rotation(redis: RedisServer | undefined): Promise<void> {
  const emulator = await startEmulator({ port: 0, seed: DEMO_SEED_FILE });
  const fleet = instances(20, emulator, redis, `bench-rotation-${Date.now()}:`, {
    updates: 'poll',
  });
  await Promise.all(fleet.map((one) => one.client.listSecrets()));
  const times: number[] = [];
  for (let round = 1; round <= 3; round++) {
    // Rotate at a random point of the TTL, as a real rotation would be.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * TTL_S * 1000));
    times.push(await timeRotation(fleet, emulator, `rotated-${round}`));
  }
  times.sort((a, b) => a - b);
  console.log(
    `rotation, N=20, polling (TTL ${TTL_S} s), ${label(redis)}: every onChange fired and the new value read in ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')} (3 rotations; max ${((times.at(-1) as number) / 1000).toFixed(2)} s)`,
  );
  await closeAll(fleet);
  await emulator.close();
}

/** Rotations measured in the push scenarios, a random 0–500 ms apart. */
const PUSH_ROTATIONS = 10;
/** The push scenarios' TTL: long, so that polling cannot be what delivers a rotation. */
const PUSH_TTL_S = 300;

async function pushRotations(fleet: Instance[], emulator: Emulator): Promise<number[]> {
  await Promise.all(fleet.map((one) => one.client.listSecrets()));
  const times: number[] = [];
  for (let round = 1; round <= PUSH_ROTATIONS; round++) {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 500));
    times.push(await timeRotation(fleet, emulator, `pushed-${round}`, 15_000));
  }
  return times;
}

/**
 * Rotation over the event stream: with Redis, `updates: 'auto'` (one instance holds the stream
 * and fans out on the bus); alone, `updates: 'events'` (each instance its own stream, of which
 * the server accepts 5 per identity and project), TTL 5 s so the refused ones poll.
 */
async function eventStream(redis: RedisServer | undefined): Promise<void> {
  const emulator = await startEmulator({ port: 0, seed: DEMO_SEED_FILE, serverVersion: 'latest' });
  const ttl = redis ? PUSH_TTL_S : TTL_S;
  const fleet = instances(20, emulator, redis, `bench-events-${Date.now()}:`, {
    updates: redis ? 'auto' : 'events',
    cacheTtl: ttl,
  });
  await Promise.all(fleet.map((one) => one.client.listSecrets()));
  const deadline = performance.now() + 10_000;
  while (emulator.eventStreams().open < (redis ? 1 : 5) && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10));
  const times = await pushRotations(fleet, emulator);
  const { open, opened } = emulator.eventStreams();
  const refused = emulator.requestCount(SUBSCRIBE) - opened;
  console.log(
    `rotation, N=20, event stream (${redis ? "'auto'" : "'events'"}, TTL ${ttl} s), ${label(redis)}: every onChange fired and the new value read in ${percentiles(times)} (${PUSH_ROTATIONS} rotations); streams at the emulator: ${open} open, ${opened} opened, ${refused} attempts refused`,
  );
  await closeAll(fleet);
  await emulator.close();
}

const WEBHOOK_SECRET = 'fake-bench-webhook-secret';
/** The emulator's collapse window in the bench (the server's is about 2.3 s). */
const WEBHOOK_DELAY_MS = 20;

/**
 * Rotation by webhooks, each instance with its receiver behind one node:http server: with Redis,
 * one webhook whose deliveries go round-robin to an instance (a load balancer; the instance that
 * refetches tells the fleet); alone, one webhook per instance.
 */
async function webhooks(redis: RedisServer | undefined): Promise<void> {
  let fleet: Instance[] = [];
  let receivers: WebhookReceiver[] = [];
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const target = req.url?.split('/').at(-1);
      const index = target === 'lb' ? next++ % receivers.length : Number(target);
      const receiver = receivers[index];
      const outcome = receiver
        ? await receiver.receive({
            body: Buffer.concat(chunks),
            signature: req.headers['x-infisical-signature'] as string | undefined,
          })
        : { status: 404, body: {} };
      res.writeHead(outcome.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(outcome.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/`;
  const seed = loadSeedFile(DEMO_SEED_FILE);
  for (const target of redis ? ['lb'] : Array.from({ length: 20 }, (_, i) => String(i)))
    seed.projects[0]?.webhooks.push({
      url: base + target,
      secret: WEBHOOK_SECRET,
      environment: 'dev',
      secretPath: '/',
    });
  const emulator = await startEmulator({
    port: 0,
    seed,
    webhooks: { delayMs: WEBHOOK_DELAY_MS },
  });
  fleet = instances(20, emulator, redis, `bench-webhooks-${Date.now()}:`, {
    updates: 'poll',
    cacheTtl: PUSH_TTL_S,
  });
  receivers = fleet.map((one) => createWebhookReceiver(one.client, { secret: WEBHOOK_SECRET }));
  const times = await pushRotations(fleet, emulator);
  // A delivery is recorded once its receiver answered, which is after the refetch it caused.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const deliveries = emulator.webhookDeliveries();
  const refused = deliveries.filter((one) => one.status !== 200).length;
  console.log(
    `rotation, N=20, webhooks (${WEBHOOK_DELAY_MS} ms emulator delay, TTL ${PUSH_TTL_S} s), ${label(redis)}: every onChange fired and the new value read in ${percentiles(times)} (${PUSH_ROTATIONS} rotations; add the server's ~2.3 s collapse window); ${deliveries.length} deliveries, ${refused} refused`,
  );
  await closeAll(fleet);
  await emulator.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function steadyState(redis: RedisServer | undefined): Promise<void> {
  const runs = await Promise.all(
    [5, 10, 20].map(async (n) => {
      const emulator = await startEmulator({ port: 0, seed: DEMO_SEED_FILE });
      const fleet = instances(n, emulator, redis, `bench-steady-${n}-${Date.now()}:`);
      await Promise.all(fleet.map((one) => one.client.listSecrets()));
      emulator.clearRequests();
      return { n, emulator, fleet };
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, STEADY_MS));
  const perMinute = runs.map(({ n, emulator, fleet }) => {
    const rate = (emulator.requestCount(LIST) * 60_000) / STEADY_MS;
    const down = fleet.reduce((sum, one) => sum + one.downReports, 0);
    const own = fleet.reduce((sum, one) => sum + one.ownFetches, 0);
    return `N=${n}: ${rate.toFixed(1)}/min${redis ? ` (${down} outages, ${own} waits in vain)` : ''}`;
  });
  console.log(
    `steady state, ${STEADY_MS / 1000} s, TTL ${TTL_S} s, ${label(redis)}: list requests ${perMinute.join(', ')}`,
  );
  for (const { fleet, emulator } of runs) {
    await closeAll(fleet);
    await emulator.close();
  }
}

async function outage(redis: RedisServer | undefined): Promise<void> {
  const emulator = await startEmulator({ port: 0, seed: DEMO_SEED_FILE });
  const fleet = instances(20, emulator, redis, `bench-outage-${Date.now()}:`, { cacheTtl: 1 });
  await Promise.all(fleet.map((one) => one.client.listSecrets()));
  let reads = 0;
  let failed = 0;
  let stop = false;
  const readers = fleet.map(async (one) => {
    while (!stop) {
      reads++;
      try {
        await one.client.getSecret('API_TOKEN');
      } catch {
        failed++;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await redis?.kill();
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const restartedAt = performance.now();
  await redis?.restart();
  const deadline = performance.now() + 30_000;
  while (
    redis &&
    fleet.some((one) => one.rejoinedAt === undefined) &&
    performance.now() < deadline
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  stop = true;
  await Promise.all(readers);
  const rejoin = redis
    ? fleet.every((one) => one.rejoinedAt !== undefined)
      ? `all rejoined ${((Math.max(...fleet.map((one) => one.rejoinedAt as number)) - restartedAt) / 1000).toFixed(2)} s after the restart (first ${((Math.min(...fleet.map((one) => one.rejoinedAt as number)) - restartedAt) / 1000).toFixed(2)} s), ${fleet.reduce((sum, one) => sum + one.downReports, 0)} reports for 20 instances`
      : 'NOT all rejoined within 30 s'
    : 'no Redis to lose';
  console.log(
    `Redis killed for 5 s, N=20, ${label(redis)}: ${failed} failed reads of ${reads}; ${rejoin}`,
  );
  await closeAll(fleet);
  await emulator.close();
}

const redis = await startRedis();
try {
  const only = process.env.FLEET_ONLY;
  const scenarios =
    only === 'push'
      ? [eventStream, webhooks]
      : only === 'steady'
        ? [steadyState, outage]
        : [coldStart, rotation, eventStream, webhooks, steadyState, outage];
  for (const run of scenarios) {
    await run(redis);
    await run(undefined);
  }
} finally {
  await redis.stop();
}
