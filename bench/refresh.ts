/**
 * A refresh that finds one changed value among 10,000: what the change path (a client
 * listener, and the loader's handle on top) costs over the bare refetch, in time and in bytes
 * allocated: `pnpm --filter bench bench:refresh` (build the packages first).
 *
 * Three clients read the same 10,000-secret folder from one emulator; before each measured
 * refresh one secret is rotated, so every refresh finds exactly one change:
 * - bare: `client.refresh()` with no listener (fetch, parse, snapshot, store);
 * - listener: the same with an `onChange` listener (plus the diff and the event);
 * - loader: `loadSecrets(...).refresh()` with a `subscribe` listener (plus the handle's values,
 *   checks and event).
 * Runs interleave (the order rotates); the figures are medians of 15 runs after 3 warm-ups. Allocation is the heap
 * growth across one refresh with a young generation large enough that no collection runs in
 * between (node flags below), after a full collection.
 *
 * `CORE_MODULE=<path to a built index.js>` measures another build (e.g. an older one).
 */
import { performance } from 'node:perf_hooks';
import { type SeedInput, startEmulator } from '@infisical/emulator';

type Core = typeof import('@infisical/core');
const core = (await import(process.env.CORE_MODULE ?? '@infisical/core')) as Core;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  throw new Error(
    'Run with node --expose-gc --max-semi-space-size=256 (the bench:refresh script does).',
  );
}

const SIZE = 10_000;
const PROJECT = 'bench-refresh-0000-0000-000000000001';
const seed: SeedInput = {
  projects: [
    {
      slug: 'refresh',
      id: PROJECT,
      environments: [
        {
          slug: 'dev',
          secrets: {
            '/': Object.fromEntries(
              Array.from({ length: SIZE }, (_, i) => [
                `SECRET_${i}`,
                `fake-value-${i}-${'x'.repeat(24)}`,
              ]),
            ),
          },
        },
      ],
    },
  ],
  identities: [
    {
      name: 'bench',
      universalAuth: { clientId: 'refresh-id', clientSecret: 'refresh-secret-fake' },
      projects: { refresh: 'admin' },
    },
  ],
};

const emulator = await startEmulator({ seed });
const options = {
  siteUrl: emulator.url,
  auth: { universalAuth: { clientId: 'refresh-id', clientSecret: 'refresh-secret-fake' } },
  projectId: PROJECT,
  environment: 'dev',
  env: {},
  refreshInterval: 0,
};

const bare = new core.InfisicalClient(options);
await bare.listSecrets();
const listened = new core.InfisicalClient(options);
let events = 0;
listened.onChange(() => {
  events++;
});
await listened.listSecrets();
const handle = await core.loadSecrets(options);
handle.subscribe(() => {
  events++;
});

let version = 0;
const rotate = () =>
  emulator.setSecret({
    project: 'refresh',
    environment: 'dev',
    key: 'SECRET_5000',
    value: `rotated-${++version}`,
  });

interface Sample {
  ms: number;
  bytes: number;
}
async function measure(refresh: () => Promise<void>): Promise<Sample> {
  rotate();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  await refresh();
  const ms = performance.now() - started;
  const bytes = process.memoryUsage().heapUsed - before;
  return { ms, bytes };
}

const cases: [string, () => Promise<void>][] = [
  ['bare refetch (no listener)', () => bare.refresh()],
  ['client onChange listener', () => listened.refresh()],
  ['loader handle + subscribe', () => handle.refresh()],
];
const samples = new Map<string, Sample[]>(cases.map(([name]) => [name, []]));
for (let run = 0; run < 18; run++) {
  // A different order each run, so no path always runs on the busiest heap.
  for (let i = 0; i < cases.length; i++) {
    const [name, refresh] = cases[(i + run) % cases.length] as (typeof cases)[number];
    const sample = await measure(refresh);
    if (run >= 3) samples.get(name)?.push(sample);
  }
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const rows = cases.map(([name]) => {
  const list = samples.get(name) ?? [];
  return {
    name,
    ms: median(list.map((s) => s.ms)),
    mib: median(list.map((s) => s.bytes)) / 2 ** 20,
  };
});
const base = rows[0] as (typeof rows)[number];
console.log(
  `refresh of ${SIZE.toLocaleString('en-US')} secrets with one changed — node ${process.version}, ${process.env.CORE_MODULE ?? '@infisical/core'}\n`,
);
console.log('| path | median time | over bare | allocated | over bare |');
console.log('|---|---|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.name} | ${row.ms.toFixed(1)} ms | +${(row.ms - base.ms).toFixed(1)} ms | ${row.mib.toFixed(1)} MiB | +${(row.mib - base.mib).toFixed(1)} MiB |`,
  );
}
console.log(`\n(events seen: ${events})`);
bare.close();
listened.close();
await handle.close();
await emulator.close();
