/**
 * One client under faults for 60 s: `pnpm --filter bench bench:faults` (build the packages
 * first). Every 5 s the emulator switches between healthy and a fault on every route — 500s,
 * connection resets, 429 with `Retry-After: 0`, 429 with `Retry-After: 60`, a hang — while the
 * application reads one secret in a loop. The client uses its defaults except `cacheTtl: 1`, so
 * it wants to refetch every second (and the refresh timer follows, every second too).
 *
 * Per window it prints: the requests the client sent (counted at its `fetch`, as the server
 * receives them) and the most in any one second, the reads, the failed reads (every read has a
 * cached value: goal 0), the p99 read latency (goal < 1 ms) and the slowest read. The retry budget of one
 * request is 1 + `maxRetries` = 4 attempts; the goal is ≤ 1 request/s during a 429 and once
 * failures repeat.
 *
 * `CORE_MODULE=<path to a built index.js>` runs the same against another build.
 */
import { performance } from 'node:perf_hooks';
import { type FaultSpec, type SeedInput, startEmulator } from '@infisical/emulator';

type Core = typeof import('@infisical/core');
const core = (await import(process.env.CORE_MODULE ?? '@infisical/core')) as Core;

const PROJECT = 'bench-faults-0000-0000-000000000001';
const seed: SeedInput = {
  projects: [
    {
      slug: 'faults',
      id: PROJECT,
      environments: [
        { slug: 'dev', secrets: { '/': { API_KEY: 'fake-api-key', DB_URL: 'fake-db' } } },
      ],
    },
  ],
  identities: [
    {
      name: 'bench',
      universalAuth: {
        clientId: 'faults-id',
        clientSecret: 'faults-secret-fake',
        accessTokenTTL: 7200,
      },
      projects: { faults: 'admin' },
    },
  ],
};

const WINDOW_MS = 5000;
const schedule: { name: string; fault?: Omit<FaultSpec, 'route'> }[] = [
  { name: 'healthy' },
  { name: '500s', fault: { status: 500 } },
  { name: 'healthy' },
  { name: 'connection resets', fault: { reset: true } },
  { name: 'healthy' },
  { name: '429, Retry-After: 0', fault: { retryAfter: 0 } },
  { name: 'healthy' },
  { name: 'hang (no answer)', fault: { latencyMs: 120_000 } },
  { name: 'healthy' },
  { name: '500s again', fault: { status: 500 } },
  { name: 'healthy' },
  { name: '429, Retry-After: 60', fault: { retryAfter: 60 } },
];

/** Read latencies in 1 µs buckets up to 20 ms (and one bucket above): no allocation per read. */
const BUCKETS = 20_000;
interface Window {
  name: string;
  sent: number[];
  reads: number;
  failed: number;
  latencies: Uint32Array;
  slowest: number;
}
const windows: Window[] = schedule.map(({ name }) => ({
  name,
  sent: [],
  reads: 0,
  failed: 0,
  latencies: new Uint32Array(BUCKETS + 1),
  slowest: 0,
}));

const emulator = await startEmulator({ seed });
let current: Window | undefined;
let started = 0;
const countingFetch: typeof fetch = (input, init) => {
  current?.sent.push(performance.now() - started);
  return fetch(input, init);
};
const client = new core.InfisicalClient({
  siteUrl: emulator.url,
  auth: { universalAuth: { clientId: 'faults-id', clientSecret: 'faults-secret-fake' } },
  projectId: PROJECT,
  environment: 'dev',
  env: {},
  cacheTtl: 1,
  fetch: countingFetch,
  onError: () => undefined,
});
await client.getSecret('API_KEY');

let running = true;
started = performance.now();
const reads = (async () => {
  while (running) {
    const window = current;
    const t0 = performance.now();
    try {
      await client.getSecret('API_KEY');
    } catch {
      if (window) window.failed++;
    }
    if (window) {
      window.reads++;
      const ms = performance.now() - t0;
      window.slowest = Math.max(window.slowest, ms);
      const bucket = Math.min(BUCKETS, Math.floor(ms * 1000));
      window.latencies[bucket] = (window.latencies[bucket] as number) + 1;
    }
    // Yield to timers and sockets between reads, as an application would.
    await new Promise((resolve) => setImmediate(resolve));
  }
})();

for (const [index, step] of schedule.entries()) {
  emulator.clearFaults();
  if (step.fault) emulator.injectFault({ route: '*', ...step.fault });
  current = windows[index];
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
}
current = undefined;
emulator.clearFaults();
running = false;
await reads;
client.close();
await emulator.close();

/** The 99th percentile of a latency histogram, in ms (20+ ms when above the last bucket). */
const p99 = (histogram: Uint32Array) => {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  let seen = 0;
  for (let bucket = 0; bucket <= BUCKETS; bucket++) {
    seen += histogram[bucket] as number;
    if (seen >= total * 0.99) return (bucket + 1) / 1000;
  }
  return 0;
};
const busiest = (sent: number[]) => {
  const buckets = new Map<number, number>();
  for (const at of sent)
    buckets.set(Math.floor(at / 1000), (buckets.get(Math.floor(at / 1000)) ?? 0) + 1);
  return Math.max(0, ...buckets.values());
};
console.log(
  `one client, ${schedule.length * 5} s, faults every other 5 s — node ${process.version}, ${process.env.CORE_MODULE ?? '@infisical/core'}\n`,
);
console.log(
  '| window | requests sent | req/s (avg / busiest second) | reads | failed reads | p99 read latency | slowest read |',
);
console.log('|---|---|---|---|---|---|---|');
for (const [index, window] of windows.entries()) {
  console.log(
    `| ${index * 5}–${index * 5 + 5} s ${window.name} | ${window.sent.length} | ${(window.sent.length / 5).toFixed(1)} / ${busiest(window.sent)} | ${window.reads.toLocaleString('en-US')} | ${window.failed} | ${p99(window.latencies).toFixed(3)} ms | ${window.slowest.toFixed(1)} ms |`,
  );
}
const all = new Uint32Array(BUCKETS + 1);
for (const window of windows)
  window.latencies.forEach((count, bucket) => {
    all[bucket] = (all[bucket] as number) + count;
  });
console.log(
  `\ntotal: ${windows.reduce((n, w) => n + w.sent.length, 0)} requests, ${windows.reduce((n, w) => n + w.failed, 0)} failed reads of ${windows.reduce((n, w) => n + w.reads, 0).toLocaleString('en-US')}, p99 ${p99(all).toFixed(3)} ms`,
);
