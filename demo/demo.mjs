#!/usr/bin/env node
/**
 * The README's demo: the Infisical emulator seeded with the sample project, the four example
 * apps (the Vite dev server, Next.js, NestJS, Express) reading their secrets from it, and a
 * dashboard (`dashboard/`) that shows what each app serves and can rotate a secret, take
 * Infisical down and flood the apps. No account, no network. Waits until every app answers,
 * prints one table, and stops everything on Ctrl-C.
 *
 * Ports: DEMO_EMULATOR_PORT (8080), DEMO_DASHBOARD_PORT (8090), DEMO_VITE_PORT (4173),
 * DEMO_NEXT_PORT (3000), DEMO_NEST_PORT (3001), DEMO_EXPRESS_PORT (3002). The apps' cache TTL:
 * INFISICAL_CACHE_TTL (5 s). Reads per app of the dashboard's flood: DEMO_FLOOD_READS (2000).
 *
 * @module demo
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEMO_SEED_FILE, startEmulator } from '@infisical/emulator';
import { startDashboard } from './dashboard/server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
/**
 * A whole number from the environment, or `fallback`; anything else stops the demo.
 * @param {string} name
 * @param {number} fallback
 * @param {number} max
 * @returns {number}
 */
function setting(name, fallback, max) {
  const text = process.env[name] ?? String(fallback);
  const value = Number(text);
  if (/^\d+$/.test(text) && value <= max) return value;
  console.error(`demo: ${name} must be a whole number from 0 to ${max}`);
  process.exit(1);
}
/**
 * @param {string} name
 * @param {number} fallback
 */
const port = (name, fallback) => setting(name, fallback, 65_535);

/**
 * An example app: how the demo starts it and what its page shows.
 * @typedef {object} DemoApp
 * @property {string} id
 * @property {string} name - its workspace package
 * @property {string} label
 * @property {number} port
 * @property {string[]} command - pnpm arguments after `--filter <name>`
 * @property {string} runs - how it runs, in a few words
 * @property {string} path - its page
 * @property {string} shows - what the page shows
 */

/** @type {DemoApp[]} */
const apps = [
  {
    id: 'vite',
    name: 'vite-app',
    label: 'Vite',
    port: port('DEMO_VITE_PORT', 4173),
    // The dev server: it reloads the page when a public secret rotates (a preview build cannot).
    command: ['dev', '--host', '127.0.0.1', '--port', '<port>', '--strictPort'],
    runs: 'vite dev server',
    path: '/',
    shows: 'VITE_PUBLIC_GREETING, the only secret in the browser; reloads when it rotates',
  },
  {
    id: 'next',
    name: 'next-app',
    label: 'Next.js',
    port: port('DEMO_NEXT_PORT', 3000),
    command: ['demo'],
    runs: 'next build + next start',
    path: '/',
    shows: 'NEXT_PUBLIC_GREETING (client component), SESSION_SECRET masked (server component)',
  },
  {
    id: 'nest',
    name: 'nest-app',
    label: 'NestJS',
    port: port('DEMO_NEST_PORT', 3001),
    command: ['demo'],
    runs: 'node dist/main.js',
    path: '/',
    shows: 'the routes: secrets through InfisicalService and ConfigService, masked',
  },
  {
    id: 'express',
    name: 'express-app',
    label: 'Express',
    port: port('DEMO_EXPRESS_PORT', 3002),
    command: ['demo'],
    runs: 'node dist/server.js',
    path: '/',
    shows: 'the routes: masked secrets from req.secrets, a signed session',
  },
];

const emulatorPort = port('DEMO_EMULATOR_PORT', 8080);
const dashboardPort = port('DEMO_DASHBOARD_PORT', 8090);
/** @type {import('@infisical/emulator').Emulator | undefined} */
let emulator;
/** @type {import('./dashboard/server.mjs').RunningDashboard | undefined} */
let dashboard;
/** @type {{ app: DemoApp; child: import('node:child_process').ChildProcess }[]} */
let children = [];
let stopping = false;

/** @param {number} [code] */
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) signal(child, 'SIGTERM');
  await Promise.all(
    children.map(({ child }) =>
      child.exitCode !== null || child.signalCode !== null
        ? undefined
        : new Promise((resolve) => {
            const timer = setTimeout(() => {
              signal(child, 'SIGKILL');
              resolve(undefined);
            }, 5000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve(undefined);
            });
          }),
    ),
  );
  await dashboard?.close();
  await emulator?.close();
  console.log('Demo stopped.');
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

/**
 * Signals a child's whole process group (pnpm and the app under it).
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} name
 */
function signal(child, name) {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, name);
  } catch {
    // already gone
  }
}

/**
 * Prints the problem and stops everything with exit code 1; never returns. Once stopping (Ctrl-C
 * or an earlier failure), it stays silent and leaves the exit to that `stop`.
 * @param {string} message
 * @returns {Promise<never>}
 */
async function fail(message) {
  if (stopping) return new Promise(() => {});
  console.error(`demo: ${message}`);
  if (emulator) await stop(1);
  process.exit(1);
}

/**
 * @param {unknown} error
 * @param {string} what - e.g. `port 8080`
 * @param {string} variable - the variable that changes it
 * @returns {string}
 */
function startError(error, what, variable) {
  const { code, message } = /** @type {{ code?: string; message?: string }} */ (error);
  return code === 'EADDRINUSE'
    ? `${what} is in use: set ${variable} to a free port`
    : String(message);
}

try {
  emulator = await startEmulator({ port: emulatorPort, seed: DEMO_SEED_FILE });
} catch (error) {
  await fail(startError(error, `port ${emulatorPort}`, 'DEMO_EMULATOR_PORT'));
}
if (!emulator) process.exit(1);

const project = [...emulator.store.projects()][0];
const identity = [...emulator.store.identities()].find((i) => i.universalAuth && !i.user);
const universalAuth = identity?.universalAuth;
// The emulator keeps client secrets as hashes; the seed's, in clear, is the one it still knows.
const clientSecret = identity && emulator.knownClientSecret(identity.name);
if (!project || !universalAuth || clientSecret === undefined) {
  await fail(
    'the demo seed has no project, or no identity with a known Universal Auth client secret',
  );
  process.exit(1);
}
const cacheTtl = process.env.INFISICAL_CACHE_TTL ?? '5';
const env = {
  ...process.env,
  INFISICAL_SITE_URL: emulator.url,
  INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: universalAuth.clientId,
  INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: clientSecret,
  INFISICAL_PROJECT_ID: project.id,
  INFISICAL_ENVIRONMENT: 'dev',
  INFISICAL_CACHE_TTL: cacheTtl,
};
const emulatorUiUrl = `${emulator.url}/_emulator/ui#token=${encodeURIComponent(emulator.controlToken)}`;

try {
  dashboard = await startDashboard({
    port: dashboardPort,
    apps: apps.map((app) => ({
      id: app.id,
      label: app.label,
      runs: app.runs,
      url: `http://127.0.0.1:${app.port}${app.path}`,
      endpoint: `http://127.0.0.1:${app.port}/api/secrets`,
      framed: app.id === 'vite',
    })),
    emulator: { url: emulator.url, controlToken: emulator.controlToken },
    emulatorUiUrl,
    project: project.slug,
    environment: 'dev',
    cacheTtl: Number(cacheTtl),
    floodReads: Math.max(1, setting('DEMO_FLOOD_READS', 2000, 100_000)),
  });
} catch (error) {
  await fail(startError(error, `port ${dashboardPort}`, 'DEMO_DASHBOARD_PORT'));
}

console.log(
  `Infisical emulator on ${emulator.url}; dashboard on ${dashboard?.url} (the apps appear as they start).`,
);
// The pnpm that runs this demo (`pnpm demo` sets npm_execpath to its script), else the one on PATH.
const execPath = process.env.npm_execpath ?? '';
const [pnpm, ...pnpmArgs] = /pnpm(\.c?js)?$/.test(execPath)
  ? [process.execPath, execPath]
  : ['pnpm'];
console.log(`Starting ${apps.length} example apps (the first run builds them)...`);
children = apps.map((app) => {
  const args = app.command.map((arg) => (arg === '<port>' ? String(app.port) : arg));
  const child = spawn(String(pnpm), [...pnpmArgs, '--filter', app.name, ...args], {
    cwd: root,
    env: { ...env, PORT: String(app.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  /** @param {Buffer} chunk */
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => {
    void fail(
      `could not start pnpm for ${app.label} (${error.message}): run the demo as \`npx --yes pnpm@10.34.9 demo\``,
    );
  });
  child.on('exit', (code) => {
    if (!stopping)
      void fail(`${app.label} (${app.name}) exited with code ${code}:\n${output.slice(-3000)}`);
  });
  return { app, child };
});

/**
 * @param {string} url
 * @param {number} timeoutMs
 */
async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (res.status < 500) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

try {
  await Promise.all(
    apps.map((app) => waitFor(`http://127.0.0.1:${app.port}/api/secrets`, 600_000)),
  );
} catch (error) {
  await fail(error instanceof Error ? error.message : String(error));
}

const rows = [
  ['Dashboard', dashboard?.url ?? '', 'every app side by side; rotate, take Infisical down, flood'],
  [
    'Infisical emulator',
    emulator.url,
    `project ${project.slug}; clientId ${universalAuth.clientId}`,
  ],
  ...apps.map((app) => [app.label, `http://127.0.0.1:${app.port}${app.path}`, app.shows]),
];
/** @param {number} i */
const width = (i) => Math.max(...rows.map((row) => String(row[i]).length));
console.log('\nDemo ready — every app reads its secrets from the local emulator:\n');
for (const row of rows)
  console.log(
    `  ${String(row[0]).padEnd(width(0))}  ${String(row[1]).padEnd(width(1))}  ${row[2]}`,
  );
console.log(
  `\nEvery app answers GET /api/secrets (values masked). Open the dashboard to rotate a secret and watch it reach them within ${cacheTtl} s, or from a shell:`,
);
console.log(
  `  curl -X PUT ${emulator.url}/_emulator/secrets -H 'content-type: application/json' \\\n` +
    `    -H 'authorization: Bearer ${emulator.controlToken}' \\\n` +
    `    -d '{"project":"${project.slug}","environment":"dev","key":"SESSION_SECRET","value":"rotated-session-secret"}'`,
);
console.log(`\nThe emulator's web UI: ${emulatorUiUrl}`);
console.log('\nPress Ctrl-C to stop everything.');
