#!/usr/bin/env node
/**
 * @module scripts/quickstart/run
 * Runs each adapter README's quick-start for real, as a newcomer would: packs every public
 * `@infisical/*` package (`pnpm pack`), starts the packed emulator's CLI (its bundled demo seed),
 * creates a fresh project with the framework's own current starter from the npm registry
 * (./frameworks.mjs), installs the tarballs with npm, writes the README's marked blocks into the
 * project (./markers.mjs), builds it, scans its browser output for private values, serves it and
 * checks the marked requests. Frameworks run one after another in /tmp/infisical-quickstart; npm's
 * cache (`--prefer-offline`) makes repeated runs fast. A failure names the step, the README block
 * and the log's last lines. Frameworks listed in scripts/known-failures.txt (`quickstart`) are
 * reported and counted as skipped. Writes `.test-report/quickstart.json` at the root.
 *
 * `--only=next,vite` runs some; `--keep` leaves the work folder for inspection.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KNOWN_FAILURES_FILE, knownFailures } from '../lib/known-failures.mjs';
import { formatCounts, ROOT, workspaceDirs, writeReport } from '../lib/reports.mjs';
import { freePort, isFree, run, StepError, start, stop, tail, waitForUrl } from './exec.mjs';
import { frameworks, NPM_FLAGS } from './frameworks.mjs';
import { quickStarts } from './markers.mjs';

const WORK = join(tmpdir(), 'infisical-quickstart');
const option = (name) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = option('only')?.split(',');
const keep = process.argv.includes('--keep');
const baseEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  npm_config_update_notifier: 'false',
  CI: process.env.CI ?? '1',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};
// Nothing of the repository's own install may leak into the fresh projects.
for (const key of Object.keys(baseEnv))
  if (key.startsWith('npm_package_') || key === 'NODE_OPTIONS') delete baseEnv[key];

const seconds = (ms) => `${Math.round(ms / 1000)} s`;

/** Packs every public workspace package into WORK/tarballs: name → { file, deps }. */
async function packAll(logFile) {
  const out = join(WORK, 'tarballs');
  mkdirSync(out, { recursive: true });
  const packed = new Map();
  for (const dir of workspaceDirs()) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (dir === ROOT || pkg.private || !pkg.name.startsWith('@infisical/')) continue;
    const before = new Set(readdirSync(out));
    await run(`npx --yes pnpm@10.34.9 pack --pack-destination ${out}`, {
      cwd: dir,
      env: baseEnv,
      logFile,
    });
    const file = readdirSync(out).find((name) => !before.has(name));
    if (!file) throw new StepError(`pnpm pack of ${pkg.name} wrote no tarball`);
    const deps = Object.keys(pkg.dependencies ?? {}).filter((name) =>
      name.startsWith('@infisical/'),
    );
    packed.set(pkg.name, { file: join(out, file), deps });
  }
  return packed;
}

/** The tarballs of `names` and of the @infisical packages they depend on. */
function closure(names, packed) {
  const files = new Set();
  const visit = (name) => {
    const entry = packed.get(name);
    if (!entry || files.has(entry.file)) return;
    files.add(entry.file);
    for (const dep of entry.deps) visit(dep);
  };
  for (const name of names) visit(name);
  return [...files];
}

/** An npm install line of the README, its @infisical names replaced by tarballs (and their deps). */
function installCommand(command, packed) {
  const words = command.split(/\s+/);
  const ours = words.filter((word) => word.startsWith('@infisical/'));
  const unknown = ours.filter((name) => !packed.has(name));
  if (unknown.length > 0)
    throw new StepError(
      `the README installs ${unknown.join(', ')}, which this repository does not publish`,
    );
  const rest = words.filter((word) => !word.startsWith('@infisical/'));
  return `${rest.join(' ')} ${NPM_FLAGS} ${closure(ours, packed).join(' ')}`;
}

/** Starts the packed emulator's CLI on a free port; returns its URL, process and demo credentials. */
async function startEmulator(packed, logFile) {
  const dir = join(WORK, 'emulator');
  mkdirSync(dir, { recursive: true });
  await run('npm init -y >/dev/null', { cwd: dir, env: baseEnv, logFile });
  await run(`npm install ${NPM_FLAGS} ${closure(['@infisical/emulator'], packed).join(' ')}`, {
    cwd: dir,
    env: baseEnv,
    logFile,
  });
  const child = start('./node_modules/.bin/infisical-emulator --port 0 --quiet', {
    cwd: dir,
    env: baseEnv,
    logFile,
  });
  const deadline = Date.now() + 30_000;
  let url;
  while (!url && Date.now() < deadline) {
    url = /http:\/\/127\.0\.0\.1:\d+/.exec(tail(logFile, 5))?.[0];
    if (child.exitCode !== null) break;
    if (!url) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!url) throw new StepError('the packed emulator CLI printed no URL');
  // The demo seed it serves, read through the packed package's own API.
  const api = await import(
    pathToFileURL(join(dir, 'node_modules', '@infisical', 'emulator', 'dist', 'index.js')).href
  );
  const seed = await api.loadSeedFile(api.DEMO_SEED_FILE);
  const project = seed.projects[0];
  const identity = seed.identities.find(
    (i) => i.universalAuth && !i.user && i.projects?.[project.slug] === 'admin',
  );
  if (!project?.id || !identity)
    throw new StepError('the demo seed has no project id or admin machine identity');
  return {
    url,
    child,
    env: {
      INFISICAL_SITE_URL: url,
      INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: identity.universalAuth.clientId,
      INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: identity.universalAuth.clientSecret,
      INFISICAL_PROJECT_ID: project.id,
      INFISICAL_ENVIRONMENT: 'dev',
    },
  };
}

/** The demo project's `dev` secrets, read over the Infisical API like any client. */
async function secretsOf(emulatorEnv) {
  const login = await fetch(`${emulatorEnv.INFISICAL_SITE_URL}/api/v1/auth/universal-auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId: emulatorEnv.INFISICAL_UNIVERSAL_AUTH_CLIENT_ID,
      clientSecret: emulatorEnv.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET,
    }),
  }).then((r) => r.json());
  const query = new URLSearchParams({
    workspaceId: emulatorEnv.INFISICAL_PROJECT_ID,
    environment: 'dev',
    secretPath: '/',
    include_imports: 'true',
    expandSecretReferences: 'true',
  });
  const list = await fetch(`${emulatorEnv.INFISICAL_SITE_URL}/api/v3/secrets/raw?${query}`, {
    headers: { authorization: `Bearer ${login.accessToken}` },
  }).then((r) => r.json());
  const secrets = new Map(list.secrets.map((s) => [s.secretKey, s.secretValue]));
  for (const imported of list.imports ?? [])
    for (const s of imported.secrets)
      if (!secrets.has(s.secretKey)) secrets.set(s.secretKey, s.secretValue);
  return secrets;
}

/**
 * The harness's own leak scan of the browser output, with the packed `@infisical/core` the project
 * installed: its scanner (every form it knows, values under 6 characters not searched) over every
 * file, for the private values and the Universal Auth client secret, with the framework's own
 * runtime files as baseline (`framework.runtime`). Returns the failures (`KEY in file:line:column
 * (form)`, never the value) and the warnings: a value the framework's runtime holds too, such as
 * `localhost`, is reported, not failed.
 */
async function leaks(framework, appDir, secrets, emulatorEnv) {
  const load = createRequire(join(appDir, 'package.json'));
  const { createLeakScanner, leakOutcome } = load('@infisical/core');
  const { frameworkBaseline, scanDirectory } = load('@infisical/core/node');
  const isPublic = (key) => framework.publicPrefixes.some((prefix) => key.startsWith(prefix));
  const scanner = createLeakScanner({
    privateValues: Object.fromEntries([...secrets].filter(([key]) => !isPublic(key))),
    publicValues: Object.fromEntries([...secrets].filter(([key]) => isPublic(key))),
    credentials: [
      {
        label: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET',
        value: emulatorEnv.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET,
      },
    ],
  });
  const report = await scanDirectory(
    join(appDir, framework.clientOutput),
    scanner,
    frameworkBaseline(appDir, framework.runtime ?? []),
  );
  const { error, warnings } = leakOutcome(report, framework.clientOutput);
  return { failure: error?.message, warnings };
}

/** The text a GET answers; for HTML, also the same-origin scripts it loads. HTML comments dropped. */
async function pageText(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  let text = await response.text();
  if ((response.headers.get('content-type') ?? '').includes('text/html')) {
    for (const [, src] of text.matchAll(/<script[^>]+src="([^"]+)"/g)) {
      const script = new URL(src, url);
      if (script.origin !== new URL(url).origin) continue;
      text += await fetch(script, { signal: AbortSignal.timeout(30_000) }).then((r) => r.text());
    }
  }
  return { status: response.status, text: text.replace(/<!--[\s\S]*?-->/g, '') };
}

/** Runs one framework's quick-start; throws a StepError naming the step and README block. */
async function quickStart(framework, plan, packed, emulator) {
  const dir = join(WORK, framework.name);
  const app = join(dir, 'app');
  const logFile = join(dir, 'quickstart.log');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = { ...baseEnv, ...emulator.env };
  const blocks = plan.files.map((file) => `${framework.readme}:${file.line} → ${file.path}`);
  const step = async (label, fn) => {
    const started = Date.now();
    try {
      const result = await fn();
      console.log(`    ${label} (${seconds(Date.now() - started)})`);
      return result;
    } catch (error) {
      error.step = label;
      error.logFile = logFile;
      throw error;
    }
  };

  if (plan.files.length === 0)
    throw new StepError(
      `${framework.readme} marks no quick-start block (<!-- quickstart: ${framework.name} file=… -->)`,
    );

  for (const command of framework.create)
    await step(`create: ${command.replace(/^cd app && /, '')}`, () =>
      run(command, { cwd: dir, env: baseEnv, logFile }),
    );
  for (const [path, text] of Object.entries(framework.writeFiles ?? {}))
    writeFileSync(join(app, path), text);
  const installs =
    plan.installs.length > 0
      ? plan.installs.map((install) => installCommand(install.command, packed))
      : [
          `npm install ${NPM_FLAGS} ${[...closure(framework.packages, packed), ...framework.packages.filter((n) => !packed.has(n))].join(' ')}`,
        ];
  for (const command of installs)
    await step(
      `install the packed tarballs: ${command
        .replace(/\S*\/tarballs\//g, '')
        .replace(NPM_FLAGS, '')
        .replace(/\s+/g, ' ')}`,
      () => run(command, { cwd: app, env: baseEnv, logFile }),
    );
  for (const file of plan.files) {
    mkdirSync(dirname(join(app, file.path)), { recursive: true });
    writeFileSync(join(app, file.path), `${file.code}\n`);
  }
  console.log(`    applied ${blocks.join(', ')}`);

  const built = await step(`build: ${framework.build}`, () =>
    run(framework.build, { cwd: app, env, logFile }),
  );
  if (framework.buildPrints && !built.includes(framework.buildPrints))
    throw Object.assign(
      new StepError(
        `the build did not print "${framework.buildPrints}" (the adapter's leak check did not run)`,
      ),
      { logFile },
    );
  if (framework.clientOutput) {
    const { failure, warnings } = await leaks(
      framework,
      app,
      await secretsOf(emulator.env),
      emulator.env,
    );
    for (const warning of warnings) console.log(`    ⚠ ${warning}`);
    if (failure) throw new StepError(`the harness's leak scan: ${failure}`);
    console.log(`    leak scan of ${framework.clientOutput}: no private value`);
  }

  const fixedPort = plan.checks.find((check) => check.port)?.port;
  if (fixedPort && !(await isFree(fixedPort)))
    throw new StepError(
      `the README's code listens on port ${fixedPort}, which another program uses here: free it, or have the README read PORT`,
    );
  const port = fixedPort ?? (await freePort());
  const entry = plan.files.find((file) => file.path.endsWith('.ts'))?.path;
  const server = start(framework.serve(port, entry), {
    cwd: app,
    env: { ...env, PORT: String(port) },
    logFile,
  });
  try {
    await step(`serve: ${framework.serve(port, entry)}`, () =>
      waitForUrl(`http://127.0.0.1:${port}${plan.checks[0]?.path ?? '/'}`, { child: server }),
    );
    if (plan.checks.length === 0)
      throw new StepError(
        `the app runs, but ${framework.readme} marks no check (<!-- quickstart: ${framework.name} request=/ expect="…" -->): nothing shows that a secret is served`,
      );
    for (const check of plan.checks) {
      const { status, text } = await pageText(`http://127.0.0.1:${port}${check.path}`);
      if (status >= 400 || !text.includes(check.expect)) {
        throw Object.assign(
          new StepError(
            `GET ${check.path} answered ${status} without "${check.expect}" (check of ${framework.readme}:${check.line}); ` +
              `it began: ${JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 200))}`,
          ),
          { logFile },
        );
      }
      console.log(`    GET ${check.path}: ${status}, shows "${check.expect}"`);
    }
  } finally {
    await stop(server);
  }
}

/** Which README block a failure most likely comes from: one named in the log's tail, else all. */
function blameBlocks(framework, plan, logTail) {
  const named = plan.files.filter((file) => logTail.includes(file.path));
  return (named.length > 0 ? named : plan.files).map(
    (file) => `${framework.readme}:${file.line} (${file.path})`,
  );
}

const selected = frameworks.filter((f) => !only || only.includes(f.name));
const known = knownFailures('quickstart');
const counts = { passed: 0, failed: 0, skipped: 0 };
if (!existsSync(join(ROOT, 'packages', 'core', 'dist'))) {
  console.error('quickstart: the packages are not built; run `pnpm build` first.');
  process.exit(1);
}
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const setupLog = join(WORK, 'setup.log');
let emulator;
try {
  const started = Date.now();
  const packed = await packAll(setupLog);
  console.log(`  packed ${[...packed.keys()].join(', ')} (${seconds(Date.now() - started)})`);
  emulator = await startEmulator(packed, setupLog);
  console.log(`  packed emulator CLI on ${emulator.url}`);
  for (const framework of selected) {
    const plan = quickStarts(readFileSync(join(ROOT, framework.readme), 'utf8')).get(
      framework.name,
    ) ?? {
      files: [],
      installs: [],
      checks: [],
    };
    const reason = known.get(framework.name);
    const began = Date.now();
    console.log(`  ${framework.name}: ${framework.readme}`);
    try {
      await quickStart(framework, plan, packed, emulator);
      counts.passed++;
      console.log(`  ✓ ${framework.name} (${seconds(Date.now() - began)})`);
      if (reason)
        console.log(
          `  ! ${framework.name} passes now: remove its line from ${relative(ROOT, KNOWN_FAILURES_FILE)}`,
        );
    } catch (error) {
      if (!(error instanceof StepError) && !error.step) throw error;
      const logTail = error.logFile ? tail(error.logFile, 30) : '';
      const where = error.step ? ` at "${error.step}"` : '';
      const mark = reason ? '~' : '✗';
      console.log(`  ${mark} ${framework.name}${where}: ${error.message}`);
      if (plan.files.length > 0)
        console.log(`    README block(s): ${blameBlocks(framework, plan, logTail).join(', ')}`);
      if (logTail)
        console.log(`    last lines of ${error.logFile}:\n${logTail.replace(/^/gm, '      ')}`);
      if (reason) {
        counts.skipped++;
        console.log(`    known failure (${reason})`);
      } else counts.failed++;
    }
  }
} catch (error) {
  counts.failed++;
  console.log(`  ✗ setup: ${error.message}`);
  const logTail = tail(setupLog, 30);
  if (logTail) console.log(`    last lines of ${setupLog}:\n${logTail.replace(/^/gm, '      ')}`);
} finally {
  await stop(emulator?.child);
  if (!keep && counts.failed === 0) rmSync(WORK, { recursive: true, force: true });
}
writeReport(ROOT, 'quickstart', counts);
console.log(`quick-starts: ${formatCounts(counts)}`);
if (counts.failed > 0) process.exitCode = 1;
