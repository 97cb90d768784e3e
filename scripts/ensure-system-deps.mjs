#!/usr/bin/env node
/**
 * @module scripts/ensure-system-deps
 * Makes sure the programs the tests start exist: Chromium for the browser tests (CHROMIUM_PATH,
 * /usr/bin/chromium) and `redis-server` for the Redis tests (REDIS_SERVER_PATH, or on PATH). What is
 * missing is installed from Debian's packages with one `apt-get` pass, when running as root; it
 * waits (bounded, with progress lines) while another apt or dpkg holds the package lock. Never
 * downloads a browser of its own. Any failure ends with one sentence saying what to do.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const LOCKS = ['/var/lib/dpkg/lock-frontend', '/var/lib/dpkg/lock', '/var/lib/apt/lists/lock'];
const LOCK_WAIT_S = Number(process.env.ENSURE_LOCK_TIMEOUT ?? 600);
const PROGRESS_EVERY_S = 15;

/** The programs the tests need: where each may already be, and its Debian package. */
const needs = [
  {
    what: 'Chromium (browser tests)',
    pkg: 'chromium',
    found: () =>
      firstExisting([process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']),
    manual:
      'install Chromium (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH',
  },
  {
    what: 'redis-server (Redis tests)',
    pkg: 'redis-server',
    found: () => firstExisting([process.env.REDIS_SERVER_PATH, onPath('redis-server')]),
    manual:
      'install Redis (Debian/Ubuntu: `sudo apt-get install -y redis-server`) or set REDIS_SERVER_PATH',
  },
];

function firstExisting(paths) {
  return paths.find((path) => path && existsSync(path));
}

function onPath(name) {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
}

function fail(sentence) {
  console.error(`ensure-system-deps: ${sentence}`);
  process.exit(1);
}

/** The pids holding an apt/dpkg lock (fuser), with their command names; empty when free. */
function lockHolders() {
  try {
    const out = execFileSync('fuser', LOCKS, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const pids = [...new Set(out.trim().split(/\s+/).filter(Boolean))];
    return pids.map((pid) => {
      try {
        return `${pid} (${execFileSync('ps', ['-o', 'comm=', '-p', pid], { encoding: 'utf8' }).trim()})`;
      } catch {
        return pid;
      }
    });
  } catch {
    return []; // fuser exits 1 when no process uses the files (or is absent: apt's own timeout below still waits)
  }
}

async function waitForLock() {
  const started = Date.now();
  let lastReport = 0;
  for (;;) {
    const holders = lockHolders();
    if (holders.length === 0) return;
    const waited = Math.round((Date.now() - started) / 1000);
    if (waited >= LOCK_WAIT_S) {
      fail(
        `the apt/dpkg lock is still held after ${LOCK_WAIT_S} s by ${holders.join(', ')}; wait for that ` +
          'install to finish (or end it), then run the tests again.',
      );
    }
    if (lastReport === 0 || waited - lastReport >= PROGRESS_EVERY_S) {
      console.log(
        `  waiting for the apt/dpkg lock, held by ${holders.join(', ')} (${waited} s of ${LOCK_WAIT_S} s)...`,
      );
      lastReport = waited || 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** Runs apt-get with its output kept; on failure, shows the last lines and one sentence. */
function aptGet(args, what) {
  return new Promise((resolve) => {
    const child = spawn('apt-get', ['-o', `DPkg::Lock::Timeout=${LOCK_WAIT_S}`, ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const started = Date.now();
    const ticker = setInterval(() => {
      console.log(`  ${what}: still running (${Math.round((Date.now() - started) / 1000)} s)...`);
    }, PROGRESS_EVERY_S * 1000);
    child.on('error', (error) => {
      clearInterval(ticker);
      fail(
        `could not run apt-get (${error.message}); install the packages by hand and run the tests again.`,
      );
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) return resolve();
      const tail = output.trim().split('\n').slice(-8).join('\n');
      if (tail) console.error(tail);
      fail(
        `\`apt-get ${args.join(' ')}\` failed (exit ${code}, last lines above); fix that and run the tests again.`,
      );
    });
  });
}

const missing = needs.filter((need) => !need.found());
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  fail(
    `${missing.map((need) => need.what).join(' and ')} not found: ${missing.map((need) => need.manual).join('; ')}; then run the tests again.`,
  );
}

const packages = missing.map((need) => need.pkg);
console.log(
  `Installing ${packages.join(', ')} from Debian's packages for the tests (apt-get, a minute or two)...`,
);
await waitForLock();
console.log('  apt-get update...');
await aptGet(['update', '-qq'], 'apt-get update');
await waitForLock();
console.log(`  apt-get install ${packages.join(' ')}...`);
await aptGet(['install', '-y', '-qq', '--no-install-recommends', ...packages], 'apt-get install');
const still = missing.filter((need) => !need.found());
if (still.length > 0)
  fail(
    `apt-get finished but ${still.map((need) => need.what).join(' and ')} is still missing: ${still.map((need) => need.manual).join('; ')}.`,
  );
console.log(`Installed ${packages.join(', ')}.`);
