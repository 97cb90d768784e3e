#!/usr/bin/env node
/**
 * The `infisical-emulator` command: starts an emulator from a seed file and prints how to reach it.
 *
 * @module cli
 */
import { parseArgs } from 'node:util';
import { DEMO_SEED_FILE, type Emulator, startEmulator } from './emulator.js';
import { SeedError } from './seed/load.js';
import { DataFileError } from './state/persistence.js';
import { isServerVersion, SERVER_VERSIONS } from './versions/behaviours.js';

const HELP = `infisical-emulator — an Infisical-compatible local server

Usage: infisical-emulator [options]

Options:
  --port <n>      port to listen on (0 picks a free one)       [default: 8080]
  --host <addr>   interface to listen on                       [default: 127.0.0.1]
  --seed <file>   YAML or JSON seed file                       [default: the bundled demo seed]
  --data <file>   persist changes to this file (a snapshot plus <file>.journal, in a private
                  folder); an existing file is loaded instead of the seed
  --server-version <latest|2024-10>
                  the Infisical server version to answer as  [default: the seed's, else latest]
  --quiet         print only the URL
  --help          show this help

Point a client at the printed URL (siteUrl / INFISICAL_SITE_URL) and log in with the seed's
Universal Auth credentials. Test controls live under <url>/_emulator (see the README).`;

function fail(message: string): never {
  console.error(`infisical-emulator: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse().values;
  } catch (error) {
    fail(`${(error as Error).message}\nRun with --help for usage.`);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be 0..65535, got "${values.port}"`);
  const version = values['server-version'];
  if (version !== undefined && !isServerVersion(version))
    fail(`--server-version must be ${SERVER_VERSIONS.join(' or ')}, got "${version}"`);
  let emulator: Emulator;
  try {
    emulator = await startEmulator({
      port,
      host: values.host ?? '127.0.0.1',
      seed: values.seed ?? DEMO_SEED_FILE,
      ...(values.data ? { dataFile: values.data } : {}),
      ...(version ? { serverVersion: version } : {}),
    });
  } catch (error) {
    if (error instanceof SeedError || error instanceof DataFileError) fail(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      fail(`port ${port} is already in use; pick another with --port (0 for a free one)`);
    fail((error as Error).message);
  }
  printBanner(emulator, values.seed ?? DEMO_SEED_FILE, Boolean(values.quiet));
  const stop = () => {
    emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function parse() {
  return parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      seed: { type: 'string', short: 's' },
      data: { type: 'string', short: 'd' },
      'server-version': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

const CLOUD_METHODS = [
  ['awsAuth', 'AWS IAM'],
  ['gcpAuth', 'GCP'],
  ['azureAuth', 'Azure'],
  ['kubernetesAuth', 'Kubernetes'],
  ['oidcAuth', 'OIDC'],
  ['jwtAuth', 'JWT'],
] as const;

function printBanner(emulator: Emulator, seedFile: string, quiet: boolean): void {
  if (quiet) {
    console.log(emulator.url);
    return;
  }
  const store = emulator.store;
  const lines = [
    `Infisical emulator listening on ${emulator.url} (server version ${emulator.serverVersion})`,
    `seed: ${seedFile}`,
    '',
    'Projects:',
  ];
  for (const project of store.projects()) {
    const envs = store.projectEnvironments(project.id).map((env) => env.slug);
    lines.push(`  ${project.slug}  id ${project.id}  environments: ${envs.join(', ')}`);
  }
  lines.push('', 'Identities (local, fake credentials from the seed):');
  for (const identity of store.identities()) {
    const ua = identity.universalAuth;
    const methods = CLOUD_METHODS.filter(([field]) => identity[field] !== undefined).map(
      ([, name]) => name,
    );
    const parts = [
      ...(ua ? [`clientId ${ua.clientId}  (client secret: see the seed)`] : []),
      ...(methods.length > 0 ? [`identityId ${identity.id}  (${methods.join(', ')})`] : []),
    ];
    const auth = parts.length > 0 ? parts.join('  ') : 'token auth only';
    lines.push(`  ${identity.name}${identity.user ? ' (user)' : ''}  ${auth}`);
  }
  lines.push('', `Test controls: ${emulator.url}/_emulator  (Ctrl-C to stop)`);
  console.log(lines.join('\n'));
}

main();
