#!/usr/bin/env node
/**
 * @module scripts/test
 * The README's test command (`pnpm test`, and so CI): system programs, Biome, type checks, builds
 * and package checks, every package's vitest run, the README code blocks, core on Node, Bun and
 * Deno, and the adapters' quick-starts in fresh framework projects. Each step prints one progress
 * line when it starts and one when it ends; long steps print a line a minute. The last line is the
 * grand total of every test of every step (`Total: N passed, N failed, N skipped`); the exit code
 * is 1 when any step failed.
 *
 * `--only=<step,…>` runs some steps (names below); `--skip=<step,…>` leaves some out.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  clearReports,
  formatCounts,
  REPORT_DIR,
  ROOT,
  readReports,
  total,
  workspaceDirs,
} from './lib/reports.mjs';

const quiet = {
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
  NEXT_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
};
const env = { ...process.env, ...quiet };
const turbo = join(ROOT, 'node_modules', '.bin', 'turbo');
const vitestArgs = [
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${REPORT_DIR}/vitest.json`,
];

/** The steps, in order. `reports` marks the step whose package reports are announced as they come. */
const steps = [
  {
    name: 'system',
    label: 'system programs (Chromium, redis-server)',
    cmd: ['node', 'scripts/ensure-system-deps.mjs'],
  },
  {
    name: 'lint',
    label: 'lint and format check (Biome)',
    cmd: [join(ROOT, 'node_modules', '.bin', 'biome'), 'ci', '.'],
  },
  {
    name: 'build',
    label: 'type checks, builds and package checks (turbo: typecheck build check:package)',
    cmd: [
      turbo,
      'run',
      'typecheck',
      'build',
      'check:package',
      '--concurrency=2',
      '--output-logs=errors-only',
      '--continue',
    ],
  },
  {
    name: 'packages',
    label: "every package's tests (turbo: test, vitest)",
    cmd: [
      turbo,
      'run',
      'test',
      '--concurrency=2',
      '--output-logs=errors-only',
      '--continue',
      '--',
      ...vitestArgs,
    ],
    reports: true,
  },
  {
    name: 'readme',
    label: 'README code blocks type-check against the built packages',
    cmd: ['node', 'scripts/readme-blocks/check.mjs'],
  },
  {
    name: 'runtimes',
    label: '@infisical/core on Node, Bun and Deno (built dist, real emulator)',
    cmd: ['node', 'packages/core/test/runtimes/run.mjs'],
  },
  {
    name: 'quickstart',
    label: "adapters' README quick-starts in fresh framework projects (packed tarballs, npm)",
    cmd: ['node', 'scripts/quickstart/run.mjs'],
  },
];

const option = (name) =>
  process.argv
    .find((arg) => arg.startsWith(`--${name}=`))
    ?.slice(name.length + 3)
    .split(',');
const only = option('only');
const skip = option('skip') ?? [];
const selected = steps.filter(
  (step) => (!only || only.includes(step.name)) && !skip.includes(step.name),
);

/** Packages with a `test` script: their reports are expected after the packages step. */
function packagesWithTests() {
  return workspaceDirs().filter((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return dir !== ROOT && typeof pkg.scripts?.test === 'string';
  });
}

const minutes = (ms) =>
  ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`;

function runStep(step, index) {
  console.log(`\n[${index + 1}/${selected.length}] ${step.label}...`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(step.cmd[0], step.cmd.slice(1), { cwd: ROOT, env, stdio: 'inherit' });
    const announced = new Set();
    const expected = step.reports ? packagesWithTests() : [];
    const announce = () => {
      for (const dir of expected) {
        const file = join(dir, REPORT_DIR, 'vitest.json');
        if (announced.has(dir) || !existsSync(file)) continue;
        announced.add(dir);
        const report = readReports().find((r) => r.where === relative(ROOT, file));
        if (report) console.log(`  ✓ reported: ${relative(ROOT, dir)}: ${formatCounts(report)}`);
      }
    };
    const poll = step.reports ? setInterval(announce, 5000) : undefined;
    const ticker = setInterval(() => {
      const progress = step.reports
        ? ` (${announced.size} of ${expected.length} packages reported)`
        : '';
      console.log(`  … ${step.name}: still running, ${minutes(Date.now() - started)}${progress}`);
    }, 60_000);
    child.on('error', (error) => {
      clearInterval(ticker);
      clearInterval(poll);
      console.error(`  ✗ ${step.name}: could not start ${step.cmd[0]} (${error.message})`);
      resolve({ step, ok: false, ms: Date.now() - started });
    });
    child.on('close', (code, signal) => {
      clearInterval(ticker);
      clearInterval(poll);
      if (step.reports) {
        announce();
        for (const dir of expected) {
          if (!announced.has(dir))
            console.log(
              `  ✗ no test report from ${relative(ROOT, dir)} (its run failed before reporting)`,
            );
        }
      }
      const ok = code === 0 && (!step.reports || announced.size === expected.length);
      const how = signal ? `signal ${signal}` : `exit ${code}`;
      console.log(
        `  ${ok ? '✓' : '✗'} ${step.name}: ${ok ? 'done' : `failed (${how})`} in ${minutes(Date.now() - started)}`,
      );
      resolve({ step, ok, ms: Date.now() - started });
    });
  });
}

const started = Date.now();
clearReports();
const results = [];
for (const [index, step] of selected.entries()) {
  const result = await runStep(step, index);
  results.push(result);
  // Without the system programs or a clean lint there is no point in the long steps.
  if (!result.ok && (step.name === 'system' || step.name === 'lint')) break;
}

const reports = readReports();
const sum = total(reports);
console.log('\nSummary');
for (const result of results)
  console.log(
    `  ${result.ok ? '✓' : '✗'} ${result.step.name.padEnd(10)} ${minutes(result.ms).padStart(8)}`,
  );
for (const report of reports)
  console.log(
    `    ${report.where}: ${report.unreadable ? 'unreadable report' : formatCounts(report)}`,
  );
const failedSteps = results.filter((result) => !result.ok).map((result) => result.step.name);
console.log(
  `  ${minutes(Date.now() - started)} in all${failedSteps.length ? `; failed steps: ${failedSteps.join(', ')}` : ''}`,
);
console.log(`Total: ${formatCounts(sum)}`);
process.exitCode = failedSteps.length > 0 || sum.failed > 0 ? 1 : 0;
