/**
 * What `register({ leakGuard })` costs a dynamic Next page: `pnpm --filter bench bench:leak-guard`
 * (build `@infisical/next` first: the app loads its dist). One `next build` of an app (made with
 * the Next tests' fixture helpers) with a `force-dynamic` page, a table of 400 rows (about 40 KB
 * of HTML, no secret in it), 500 private secrets in the emulator; then `next start` rounds
 * alternating `INFISICAL_LEAK_GUARD` unset (off), `report` and `block`, each loaded with
 * autocannon (10 connections asking for gzip, 8 s after a 2 s warm-up). Figures: medians over the
 * rounds of requests per second and latency. Then the guard alone, in this process: the handler
 * time of a node:http server writing the same HTML, without and with `leakGuard: 'report'`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { type SeedInput, startEmulator } from '@infisical/emulator';
import { closeSecrets, getSecretsHandle, register } from '@infisical/next/runtime';
import autocannon from 'autocannon';
import {
  fixtureApp,
  nextBuild,
  nextStart,
  REGISTER_FROM_ENV_APP,
} from '../packages/next/test/fixture-app.ts';
import { benchSecrets, benchSeed } from './seed.ts';

const SECRETS = 500;
const ROUNDS = 3;
const SECONDS = 8;
const CONNECTIONS = 10;
const HANDLER_REQUESTS = 1000;
const PROJECT = 'bench-project-0000-0000-000000000004';
const credentials = { clientId: 'bench-id', clientSecret: 'bench-secret-fake-leak-guard' };

const seed: SeedInput = benchSeed(
  PROJECT,
  benchSecrets(SECRETS, 'S_', (i) => `fake-secret-value-${i}-${'x'.repeat(i % 24)}`),
  credentials,
);

const dir = await fixtureApp('bench-leak-guard-app', {
  ...REGISTER_FROM_ENV_APP,
  'app/page.js': `import { getSecret } from '@infisical/next/runtime';
export const dynamic = 'force-dynamic';
export default async function Page() {
  const size = (await getSecret('S_1')).length;
  const rows = Array.from({ length: 400 }, (_, i) => ({ id: i, name: 'order ' + i, total: (i * 7.31).toFixed(2) }));
  return <main><h1>Orders ({size})</h1><table><tbody>{rows.map((row) => (
    <tr key={row.id}><td>{row.id}</td><td>{row.name}</td><td>{row.total} EUR</td></tr>
  ))}</tbody></table></main>;
}`,
});

const emulator = await startEmulator({ seed });
const env = {
  INFISICAL_SITE_URL: emulator.url,
  INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: credentials.clientId,
  INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: credentials.clientSecret,
  INFISICAL_PROJECT_ID: PROJECT,
  INFISICAL_ENVIRONMENT: 'dev',
};
const build = await nextBuild(dir, env);
if (build.code !== 0) throw new Error(`next build failed:\n${build.output}`);

type Mode = 'off' | 'report' | 'block';
const modes: Mode[] = ['off', 'report', 'block'];
const results = new Map<Mode, autocannon.Result[]>(modes.map((mode) => [mode, []]));
let html = '';

for (let round = 0; round < ROUNDS; round++) {
  for (const mode of modes) {
    const { url, server } = await nextStart(dir, {
      ...env,
      INFISICAL_LEAK_GUARD: mode === 'off' ? undefined : mode,
    });
    const page = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    html = await page.text();
    // Browsers ask for gzip: Next compresses, and the guard searches the body before that.
    const options = { url, connections: CONNECTIONS, headers: { 'accept-encoding': 'gzip' } };
    await autocannon({ ...options, duration: 2 });
    const result = await autocannon({ ...options, duration: SECONDS });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${mode}: failed requests`);
    if (server.output().includes('⚠ Infisical:')) throw new Error(`${mode}: unexpected warning`);
    results.get(mode)?.push(result);
    await server.stop();
  }
}

// The guard alone: the same page's HTML written by a node:http handler in 16 KB chunks (as Next
// streams it), rounds alternating register() without and with leakGuard: 'report'. The figure
// is the handler's own time per response (the writes, where the guard searches), requests sent
// one after the other.
const handlerTimes = new Map<Mode, number[]>([
  ['off', []],
  ['report', []],
]);
const scanTimes: number[] = [];
let spent = 0;
const server = createServer((_req, res) => {
  const t0 = performance.now();
  res.setHeader('content-type', 'text/html; charset=utf-8');
  for (let at = 0; at < html.length; at += 16_384) res.write(html.slice(at, at + 16_384));
  res.end();
  spent += performance.now() - t0;
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`;
for (const key of Object.keys(env)) process.env[key] = env[key as keyof typeof env];
for (let round = 0; round < 2 * ROUNDS; round++) {
  const mode: Mode = round % 2 === 0 ? 'off' : 'report';
  await register({ injectEnv: false, ...(mode === 'off' ? {} : { leakGuard: 'report' }) });
  for (let i = 0; i < 50; i++) await (await fetch(local)).text();
  spent = 0;
  for (let i = 0; i < HANDLER_REQUESTS; i++) await (await fetch(local)).text();
  handlerTimes.get(mode)?.push((spent * 1000) / HANDLER_REQUESTS);
  if (mode === 'report') {
    // The scanner alone over the whole HTML, once: what the guard adds beyond it is its own.
    const handle = getSecretsHandle();
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) handle.findLeaks(html);
    scanTimes.push(((performance.now() - t0) * 1000) / 200);
  }
  await closeSecrets();
}
server.close();
await emulator.close();

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const row = (mode: Mode): number[] => {
  const list = results.get(mode) ?? [];
  return [
    median(list.map((r) => r.requests.average)),
    median(list.map((r) => r.latency.p50)),
    median(list.map((r) => r.latency.p99)),
  ];
};
const offRps = row('off')[0] as number;
console.log(
  `\nleakGuard on a dynamic Next page (${Math.round(html.length / 1024)} KB of HTML), ${SECRETS} secrets, ` +
    `${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s, ${cpus().length} CPUs\n`,
);
console.log('| leakGuard | requests/s | latency p50 | latency p99 | vs off (req/s) |');
console.log('|---|---|---|---|---|');
for (const mode of modes) {
  const [rps, p50, p99] = row(mode) as [number, number, number];
  const change = ((rps / offRps - 1) * 100).toFixed(1);
  console.log(
    `| ${mode} | ${rps.toFixed(0)} | ${p50} ms | ${p99} ms | ${mode === 'off' ? '—' : `${change} %`} |`,
  );
}

const [offHandler, reportHandler] = [
  median(handlerTimes.get('off') ?? []),
  median(handlerTimes.get('report') ?? []),
];
console.log(
  `\nThe guard alone: a node:http handler writing the same HTML in 16 KB chunks, ${HANDLER_REQUESTS} requests × ${2 * ROUNDS} rounds\n`,
);
console.log('| leakGuard | handler time per response | overhead |');
console.log('|---|---|---|');
console.log(`| off | ${offHandler.toFixed(0)} µs | — |`);
console.log(
  `| report | ${reportHandler.toFixed(0)} µs | +${(reportHandler - offHandler).toFixed(0)} µs |`,
);
console.log(
  `\nOne \`findLeaks\` over the whole HTML (the scanner alone): ${median(scanTimes).toFixed(0)} µs`,
);
