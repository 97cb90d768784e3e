#!/usr/bin/env node
/**
 * @module scripts/demo
 * The README's `pnpm demo`: builds the packages (turbo, telemetry off), then runs `demo/demo.mjs`
 * and owns how it ends. The demo runs in its own process group, so Ctrl-C reaches it exactly once,
 * from here; when it then stops cleanly this script exits 0, so pnpm reports no failure. (pnpm
 * forwards SIGINT to its script besides the terminal's own, and a shell between them dies of the
 * signal; the root script therefore `exec`s this file.) A demo that fails on its own passes its
 * exit code through.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
  NEXT_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
};

let child;
let interrupted = false;
function onSignal() {
  if (!child || child.exitCode !== null) process.exit(0);
  if (interrupted) {
    // A second Ctrl-C: stop waiting for a clean shutdown.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
    process.exit(0);
  }
  interrupted = true;
  try {
    process.kill(-child.pid, 'SIGINT');
  } catch {}
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    child = spawn(cmd, args, { cwd: root, env, stdio: 'inherit', detached: true, ...options });
    child.on('error', (error) => {
      console.error(`demo: could not start ${cmd} (${error.message})`);
      resolve({ code: 1, signal: null });
    });
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
}

console.log('Building the packages (turbo; the first run takes a few minutes)...');
const build = await run(join(root, 'node_modules', '.bin', 'turbo'), [
  'run',
  'build',
  '--filter=./packages/*',
  '--output-logs=errors-only',
]);
if (interrupted) process.exit(0);
if (build.code !== 0) {
  console.error('demo: building the packages failed (output above).');
  process.exit(build.code ?? 1);
}

const demo = await run(process.execPath, [join(root, 'demo', 'demo.mjs')]);
if (interrupted && (demo.code === 0 || demo.signal !== null)) process.exit(0);
process.exit(demo.code ?? 1);
