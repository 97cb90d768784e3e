/**
 * How fast the emulator starts and serves: `pnpm --filter bench bench:emulator`.
 * Start = `startEmulator()` to listening (and the CLI to its first answered request);
 * list = GET /api/v3/secrets/raw of a folder holding 1,000 secrets, sequential, over loopback:
 * the emulator's own handling time (its request log) and the whole round trip through fetch.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type SeedInput, startEmulator } from '@infisical/emulator';

const seed: SeedInput = {
  projects: [
    {
      slug: 'bench',
      id: 'bench-project',
      environments: [
        {
          slug: 'dev',
          secrets: {
            '/': Object.fromEntries(
              Array.from({ length: 1000 }, (_, i) => [
                `SECRET_${i}`,
                `value-${i}-${'x'.repeat(24)}`,
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
      universalAuth: { clientId: 'bench-id', clientSecret: 'bench-secret' },
      projects: { bench: 'admin' },
    },
  ],
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function startProgrammatic(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const emulator = await startEmulator({ seed });
    times.push(performance.now() - t0);
    await emulator.close();
  }
  return times;
}

async function startCli(): Promise<number> {
  const cli = fileURLToPath(
    import.meta.resolve('@infisical/emulator').replace(/index\.(c?js|ts)$/, 'cli.js'),
  );
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, '--port', '0', '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d) => resolve(String(d).trim())),
  );
  await fetch(`${url}/api/status`);
  const elapsed = performance.now() - t0;
  child.kill();
  return elapsed;
}

async function list(): Promise<{ times: number[]; bytes: number; server: number[] }> {
  const emulator = await startEmulator({ seed });
  const login = await fetch(`${emulator.url}/api/v1/auth/universal-auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: 'bench-id', clientSecret: 'bench-secret' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const url = `${emulator.url}/api/v3/secrets/raw?workspaceId=bench-project&environment=dev`;
  const get = async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
    return (await res.text()).length;
  };
  for (let i = 0; i < 20; i++) await get();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    bytes = await get();
    times.push(performance.now() - t0);
  }
  const server = emulator
    .requests()
    .log.filter((entry) => entry.route === 'GET /api/v3/secrets/raw')
    .slice(-200)
    .map((entry) => entry.durationMs);
  await emulator.close();
  return { times, bytes, server };
}

const starts = await startProgrammatic();
const cli = await startCli().catch(() => Number.NaN);
const { times, bytes, server } = await list();
console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} cpus`);
console.log(
  `startEmulator() with 1,000 secrets: median ${fmt(percentile(starts, 50))}, max ${fmt(Math.max(...starts))}`,
);
console.log(
  `CLI start to first answer (built dist): ${Number.isNaN(cli) ? 'dist not built (run pnpm build)' : fmt(cli)}`,
);
console.log(
  `list 1,000 secrets (${(bytes / 1024).toFixed(0)} KiB JSON): handled in p50 ${fmt(percentile(server, 50))}, p95 ${fmt(percentile(server, 95))}; ` +
    `round trip with fetch p50 ${fmt(percentile(times, 50))}, p95 ${fmt(percentile(times, 95))}`,
);
