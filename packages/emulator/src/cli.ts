#!/usr/bin/env node
/**
 * The `infisical-emulator` command: starts an emulator from a seed file and prints how to reach it.
 *
 * @module cli
 */
import { parseArgs } from 'node:util';
import { chooseConnection, connectionLines } from './control/connection.js';
import { CONTROL_TOKEN_ENV } from './control/control-token.js';
import { DEMO_SEED_FILE, type Emulator, startEmulator } from './emulator.js';
import { isLoopbackHost } from './http/request-guard.js';
import { SeedError } from './seed/load.js';
import { DataFileError } from './state/persistence.js';
import { uiAddress } from './ui/pages.js';
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
  --control-token <token>
                  the control API's token (16+ visible characters)  [default: a random one,
                  printed at start; or $${CONTROL_TOKEN_ENV}]
  --allowed-host <name>
                  accept requests whose Host is this name (repeatable, or comma-separated;
                  ".example.test" allows subdomains); 127.0.0.1, localhost and [::1] always are
  --start-down    start unreachable: every Infisical route resets the connection (a fault on
                  "*") until DELETE <url>/_emulator/faults, or the web UI, clears it
  --print-secrets show the client secret in the banner's INFISICAL_* lines (masked otherwise)
  --quiet         print only the URL
  --help          show this help

Point a client at the printed URL (siteUrl / INFISICAL_SITE_URL) with the printed INFISICAL_*
lines. The web UI and the test controls live under <url>/_emulator; the control API needs the
control token as "Authorization: Bearer <token>" (see the README).`;

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
  const host = values.host ?? '127.0.0.1';
  const controlToken = values['control-token'] ?? (process.env[CONTROL_TOKEN_ENV] || undefined);
  const allowedHosts = (values['allowed-host'] ?? []).flatMap((list) =>
    list.split(',').map((name) => name.trim()),
  );
  if (!isLoopbackHost(host)) warnExposed(host, port, allowedHosts);
  const version = values['server-version'];
  if (version !== undefined && !isServerVersion(version))
    fail(`--server-version must be ${SERVER_VERSIONS.join(' or ')}, got "${version}"`);
  let emulator: Emulator;
  try {
    emulator = await startEmulator({
      port,
      host,
      seed: values.seed ?? DEMO_SEED_FILE,
      ...(values.data ? { dataFile: values.data } : {}),
      ...(version ? { serverVersion: version } : {}),
      controlToken,
      allowedHosts,
    });
  } catch (error) {
    if (error instanceof SeedError || error instanceof DataFileError) fail(error.message);
    if (error instanceof TypeError && /^(controlToken|allowedHosts)/.test(error.message))
      fail(optionMessage(error.message));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      fail(`port ${port} is already in use; pick another with --port (0 for a free one)`);
    fail((error as Error).message);
  }
  if (values['start-down']) emulator.injectFault({ route: '*', reset: true });
  printBanner(emulator, {
    seedFile: values.seed ?? DEMO_SEED_FILE,
    quiet: Boolean(values.quiet),
    printSecrets: Boolean(values['print-secrets']),
    tokenGiven: controlToken !== undefined,
  });
  if (values['start-down'] && !values.quiet) {
    console.log(
      'Started down (--start-down): every Infisical route resets the connection until the faults are cleared (DELETE /_emulator/faults, or the web UI).',
    );
  }
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
      'control-token': { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
      'start-down': { type: 'boolean' },
      'print-secrets': { type: 'boolean' },
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

/** The option errors of `startEmulator` in the CLI's own words. */
function optionMessage(message: string): string {
  return message
    .replace(/^controlToken/, `--control-token (or $${CONTROL_TOKEN_ENV})`)
    .replace(/^allowedHosts(\[\d+\])?/, '--allowed-host');
}

/** What listening beyond loopback exposes, on stderr (before the start, which may fail). */
function warnExposed(host: string, port: number, allowedHosts: string[]): void {
  const names = ['127.0.0.1', 'localhost', '[::1]', host, ...allowedHosts].join(', ');
  console.error(
    [
      `WARNING: --host ${host} listens beyond loopback (port ${port === 0 ? 'picked at start' : port}).`,
      "  Anyone who can reach this port can log in with the seed's credentials and read its secrets",
      '  through the Infisical API. The control API (read and change every secret, mint tokens,',
      '  inject faults, reset) is protected by the control token only, and the traffic is plain',
      '  HTTP. Requests must name an allowed Host (--allowed-host to add names):',
      `  ${names}.`,
      '  Bind to 127.0.0.1 (the default) unless another machine or container must reach it.',
    ].join('\n'),
  );
}

interface BannerOptions {
  seedFile: string;
  quiet: boolean;
  printSecrets: boolean;
  /** The user set the control token (so it is not echoed unless --print-secrets). */
  tokenGiven: boolean;
}

function printBanner(emulator: Emulator, options: BannerOptions): void {
  if (options.quiet) {
    console.log(emulator.url);
    return;
  }
  const store = emulator.store;
  const lines = [
    `Infisical emulator listening on ${emulator.url} (server version ${emulator.serverVersion})`,
    `seed: ${options.seedFile}`,
    '',
    'Projects:',
  ];
  for (const project of store.projects()) {
    const envs = store.projectEnvironments(project.id).map((env) => env.slug);
    lines.push(`  ${project.slug}  id ${project.id}  environments: ${envs.join(', ')}`);
  }
  lines.push(
    '',
    'Identities (local, fake credentials from the seed; client secrets below or in the web UI):',
  );
  for (const identity of store.identities()) {
    const ua = identity.universalAuth;
    const methods = CLOUD_METHODS.filter(([field]) => identity[field] !== undefined).map(
      ([, name]) => name,
    );
    const parts = [
      ...(ua ? [`clientId ${ua.clientId}`] : []),
      ...(methods.length > 0 ? [`identityId ${identity.id}  (${methods.join(', ')})`] : []),
    ];
    const auth = parts.length > 0 ? parts.join('  ') : 'token auth only';
    lines.push(`  ${identity.name}${identity.user ? ' (user)' : ''}  ${auth}`);
  }
  // A wildcard bind (0.0.0.0, ::) is reached on this machine through loopback.
  const local = emulator.url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
  lines.push(...connectionBlock(emulator, local, options.printSecrets));
  const shownToken =
    options.tokenGiven && !options.printSecrets ? undefined : emulator.controlToken;
  lines.push(
    '',
    `Web UI:        ${uiAddress(local, shownToken)}`,
    `Control API:   ${local}/_emulator  (header "Authorization: Bearer <control token>")`,
    shownToken === undefined
      ? `Control token: the one you set (--control-token or $${CONTROL_TOKEN_ENV})`
      : `Control token: ${shownToken}  (new at every start; set one with --control-token)`,
    '',
    'Ctrl-C to stop',
  );
  console.log(lines.join('\n'));
}

/**
 * The ready-to-paste `INFISICAL_*=` lines for one identity, the client secret masked unless asked;
 * a client secret the emulator does not know (it keeps hashes only) is said to be unknown.
 */
function connectionBlock(emulator: Emulator, siteUrl: string, printSecrets: boolean): string[] {
  let connection: ReturnType<typeof chooseConnection>;
  try {
    connection = chooseConnection(emulator.store, (name) => emulator.knownClientSecret(name));
  } catch {
    return []; // a seed without a Universal Auth identity or a project: nothing to paste
  }
  const { identity, project, environment } = connection;
  return [
    '',
    `Paste into your app's environment (identity ${identity.name}, project ${project.slug}, environment ${environment.slug}):`,
    ...connectionLines(siteUrl, connection, printSecrets).map(({ name, value, known }) =>
      value !== null
        ? `  ${name}=${value}`
        : known === false
          ? `  ${name}=  # unknown: the seed declares no client secret of ${identity.name} in clear that still logs in (create one over the API)`
          : `  ${name}=********  # masked: run with --print-secrets, or reveal it in the web UI`,
    ),
  ];
}

main();
