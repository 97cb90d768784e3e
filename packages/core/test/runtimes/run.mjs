#!/usr/bin/env node
/**
 * @module core/test/runtimes/run
 * Runs suite.mjs — core's runtime-neutral subset — on Node, Bun and Deno, against the BUILT core
 * and a real emulator that this (Node) process starts for each runtime on a free port. Bun and
 * Deno come from the root's devDependencies (the npm packages `bun` and `deno`). Prints each
 * runtime's version and TAP lines, writes `packages/core/.test-report/runtimes.json`, and exits 1
 * when a test failed or a runtime could not run. `--runtime=bun` runs one.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '@infisical/emulator';
import { formatCounts, ROOT, writeReport } from '../../../../scripts/lib/reports.mjs';
import { seed } from './seed.mjs';

const here = import.meta.dirname;
const core = join(here, '..', '..');
const suite = join(here, 'suite.mjs');
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const TIMEOUT_MS = 120_000;

/** Each runtime: how to ask its version and how to run the suite. */
const runtimes = [
  { name: 'node', cmd: process.execPath, version: ['--version'], run: [suite] },
  { name: 'bun', cmd: bin('bun'), version: ['--version'], run: [suite] },
  {
    name: 'deno',
    cmd: bin('deno'),
    version: ['--version'],
    // Only what the suite needs: the loopback network and reading the built core.
    run: [
      'run',
      '--no-config',
      '--no-lock',
      '--no-prompt',
      '--allow-net=127.0.0.1',
      `--allow-read=${core}`,
      suite,
    ],
  },
];

const only = process.argv.find((arg) => arg.startsWith('--runtime='))?.slice('--runtime='.length);
const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1', NO_COLOR: '1' };

function version(runtime) {
  try {
    return execFileSync(runtime.cmd, runtime.version, { encoding: 'utf8', env })
      .split('\n')[0]
      .trim();
  } catch {
    return undefined;
  }
}

function runSuite(runtime, url) {
  return new Promise((resolve) => {
    const child = spawn(runtime.cmd, [...runtime.run, url], {
      cwd: here,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\n# timed out after ${TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 1, output: `${output}\n# could not start: ${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

if (!existsSync(join(core, 'dist', 'index.js'))) {
  console.error(
    'runtimes: @infisical/core is not built (dist/index.js is missing); run `pnpm build` first.',
  );
  process.exit(1);
}

const counts = { passed: 0, failed: 0, skipped: 0 };
for (const runtime of runtimes.filter((r) => !only || r.name === only)) {
  const v = version(runtime);
  if (!v) {
    console.log(`✗ ${runtime.name}: not installed at ${runtime.cmd} (run \`pnpm install\`)`);
    counts.failed++;
    continue;
  }
  const emulator = await startEmulator({ port: 0, seed });
  let result;
  try {
    result = await runSuite(runtime, emulator.url);
  } finally {
    await emulator.close();
  }
  const passed = (result.output.match(/^ok \d+/gm) ?? []).length;
  const failed = (result.output.match(/^not ok \d+/gm) ?? []).length;
  const planned = Number(/^1\.\.(\d+)$/m.exec(result.output)?.[1] ?? 0);
  const complete =
    planned > 0 && passed + failed === planned && result.code === (failed > 0 ? 1 : 0);
  counts.passed += passed;
  counts.failed += failed + (complete ? 0 : 1);
  const label = v.startsWith(runtime.name) ? v : `${runtime.name} ${v}`;
  console.log(
    `${complete && failed === 0 ? '✓' : '✗'} ${label}: ${passed} passed, ${failed} failed`,
  );
  for (const line of result.output.trimEnd().split('\n')) {
    if (!complete || failed > 0 || /^(not )?ok /.test(line)) console.log(`    ${line}`);
  }
  if (!complete)
    console.log(
      `    (the suite did not finish: exit ${result.code}, ${passed + failed} of ${planned || '?'} tests reported)`,
    );
}
writeReport(core, 'runtimes', counts);
console.log(`runtimes: ${formatCounts(counts)}`);
if (counts.failed > 0) process.exitCode = 1;
