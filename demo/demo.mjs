#!/usr/bin/env node
// The README's demo: the Infisical emulator seeded with the sample project, and the four example
// apps (Vite, Next.js, NestJS, Express) reading their secrets from it. No account, no network.
// Waits until every app answers, prints one table, and stops everything on Ctrl-C.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEMO_SEED_FILE, startEmulator } from '@infisical/emulator';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = (name, fallback) => Number(process.env[name] ?? fallback);

/** The example apps, their ports and what their pages show. */
const apps = [
  {
    name: 'vite-app',
    label: 'Vite',
    port: port('DEMO_VITE_PORT', 4173),
    path: '/',
    shows: 'VITE_PUBLIC_GREETING, the only secret in the browser bundle',
  },
  {
    name: 'next-app',
    label: 'Next.js',
    port: port('DEMO_NEXT_PORT', 3000),
    path: '/',
    shows:
      'NEXT_PUBLIC_GREETING (client component), SESSION_SECRET masked (server component); /api/secret',
  },
  {
    name: 'nest-app',
    label: 'NestJS',
    port: port('DEMO_NEST_PORT', 3001),
    path: '/secrets/DATABASE_URL',
    shows: 'a secret masked, through InfisicalService (/config/:name: through ConfigService)',
  },
  {
    name: 'express-app',
    label: 'Express',
    port: port('DEMO_EXPRESS_PORT', 3002),
    path: '/secrets',
    shows: 'masked secrets from req.secrets',
  },
];

const emulatorPort = port('DEMO_EMULATOR_PORT', 8080);
let emulator;
try {
  emulator = await startEmulator({ port: emulatorPort, seed: DEMO_SEED_FILE });
} catch (error) {
  fail(
    error.code === 'EADDRINUSE'
      ? `port ${emulatorPort} is in use: set DEMO_EMULATOR_PORT to a free port`
      : error.message,
  );
}

const project = [...emulator.store.projects()][0];
const identity = [...emulator.store.identities()].find((i) => i.universalAuth && !i.user);
// The emulator keeps client secrets as hashes; the seed's, in clear, is the one it still knows.
const clientSecret = emulator.knownClientSecret(identity.name);
if (clientSecret === undefined) fail(`the demo seed gives ${identity.name} no client secret`);
const env = {
  ...process.env,
  INFISICAL_SITE_URL: emulator.url,
  INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: identity.universalAuth.clientId,
  INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: clientSecret,
  INFISICAL_PROJECT_ID: project.id,
  INFISICAL_ENVIRONMENT: 'dev',
  INFISICAL_CACHE_TTL: process.env.INFISICAL_CACHE_TTL ?? '5',
};

console.log(
  `Infisical emulator on ${emulator.url}; building and starting ${apps.length} example apps (first run builds them)...`,
);
const children = apps.map((app) => {
  const child = spawn('pnpm', ['--filter', app.name, 'demo'], {
    cwd: root,
    env: { ...env, PORT: String(app.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', (code) => {
    if (!stopping)
      fail(`${app.label} (${app.name}) exited with code ${code}:\n${output.slice(-3000)}`);
  });
  return { app, child };
});

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  }
  await Promise.all(
    children.map(({ child }) =>
      child.exitCode !== null || child.signalCode !== null
        ? undefined
        : new Promise((resolve) => {
            const timer = setTimeout(() => {
              try {
                process.kill(-child.pid, 'SIGKILL');
              } catch {}
              resolve();
            }, 5000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
    ),
  );
  await emulator?.close();
  console.log('Demo stopped.');
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

function fail(message) {
  console.error(`demo: ${message}`);
  if (emulator) void stop(1);
  else process.exit(1);
}

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
  await Promise.all(apps.map((app) => waitFor(`http://127.0.0.1:${app.port}${app.path}`, 600_000)));
} catch (error) {
  fail(error.message);
}

const rows = [
  [
    'Infisical emulator',
    emulator.url,
    `project ${project.slug}; clientId ${identity.universalAuth.clientId}`,
  ],
  ...apps.map((app) => [app.label, `http://127.0.0.1:${app.port}${app.path}`, app.shows]),
];
const width = (i) => Math.max(...rows.map((row) => row[i].length));
console.log('\nDemo ready — every app reads its secrets from the local emulator:\n');
for (const row of rows)
  console.log(`  ${row[0].padEnd(width(0))}  ${row[1].padEnd(width(1))}  ${row[2]}`);
console.log(`\nRotate a secret and watch the apps follow (within ${env.INFISICAL_CACHE_TTL} s):`);
console.log(
  `  curl -X PUT ${emulator.url}/_emulator/secrets -H 'content-type: application/json' \\\n` +
    `    -H 'authorization: Bearer ${emulator.controlToken}' \\\n` +
    `    -d '{"project":"${project.slug}","environment":"dev","key":"SESSION_SECRET","value":"rotated-session-secret"}'`,
);
console.log(
  `\nOr open the emulator's web UI: ${emulator.url}/_emulator/ui#token=${emulator.controlToken}`,
);
console.log('\nPress Ctrl-C to stop everything.');
