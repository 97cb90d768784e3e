/**
 * The leak check of `next build`, in two steps. Each searches the output for every private value
 * and Infisical credential through core's scanner, and fails the build naming key, file and form,
 * never the value; a value that Next's own client runtime also holds is a warning.
 *
 * 1. Once compiled (`compiler.runAfterProductionCompile`): the client chunks, `.next/static`.
 * 2. Once prerendered: the prerendered pages (`.next/server/app/**` `.html`, `.rsc`, `.body`,
 *    `.meta`; `.next/server/pages/**` `.html`, `.json`) and `public/`, or with `output: 'export'`
 *    the export folder. Next runs no hook after prerendering (its adapter API would, but it
 *    changes the build's output layout and takes the one adapter slot that deployment platforms
 *    use), so step 1 has the build process's `exit` run it: the exit handler waits for a worker
 *    thread that scans, and turns a successful exit into a failed one.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LeakCheckOptions, LeakValueOptions } from '@infisical/core';
import { InfisicalError, leakOutcome } from '@infisical/core';
import type { BuildSecrets } from './load-protocol.js';
import {
  type OutputRoot,
  type OutputScanRequest,
  type OutputScanResult,
  scanOutput,
} from './output-scan.js';
import { runWorkerSync } from './sync-worker.js';

/** Next's `compiler.runAfterProductionCompile` hook. */
export type AfterCompileHook = (metadata: { projectDir: string; distDir: string }) => Promise<void>;

/** What the check needs of the Next config. */
export interface LeakCheckTarget {
  /** With `output: 'export'`, the export folder relative to the project (`out`, or the `distDir`). */
  exportDir?: string;
}

/** Longest wait for the scan of the prerendered output. */
const SCAN_LIMIT_MS = 300_000;

/** Build folders whose prerendered output is checked at exit already (a hook may run twice). */
const scheduled = new Set<string>();

/** A path for messages: relative to the project, with `/`. */
const shown = (projectDir: string, path: string): string =>
  relative(projectDir, path).split('\\').join('/') || '.';

/** Prints the warning lines and the ✓ line of a scan; gives its `LEAK_DETECTED` error, if any. */
function outcomeOf(
  result: OutputScanResult,
  where: string,
  withTooShort: boolean,
): InfisicalError | undefined {
  const report = withTooShort ? result.report : { ...result.report, tooShort: [] };
  const { error, warnings } = leakOutcome(report, where);
  for (const line of warnings) console.warn(`⚠ ${line}`);
  if (error === undefined) {
    console.log(`✓ Infisical: no private secret value in ${where} (${result.checked} checked)`);
  }
  return error;
}

/** The folders of step 2. */
function prerenderRoots(
  projectDir: string,
  distDir: string,
  target: LeakCheckTarget,
): OutputRoot[] {
  if (target.exportDir !== undefined) {
    const dir = join(projectDir, target.exportDir);
    return [{ dir, name: shown(projectDir, dir), prefixed: true }];
  }
  const server = join(distDir, 'server');
  return [
    {
      dir: join(server, 'app'),
      name: shown(projectDir, join(server, 'app')),
      prefixed: true,
      extensions: ['.html', '.rsc', '.body', '.meta'],
    },
    {
      dir: join(server, 'pages'),
      name: shown(projectDir, join(server, 'pages')),
      prefixed: true,
      extensions: ['.html', '.json'],
      except: ['.nft.json'],
    },
    { dir: join(projectDir, 'public'), name: 'public', prefixed: true },
  ];
}

/**
 * Step 2, when the process exits after a successful build: scans in a worker while the exit
 * waits; a finding (or a failed scan) makes the exit code 1.
 */
function checkAtExit(request: OutputScanRequest): void {
  process.once('exit', (code) => {
    if (code !== 0) return;
    try {
      const result = runWorkerSync<OutputScanRequest, OutputScanResult>(request, {
        file: 'scan-worker.js',
        what: 'The leak check of the prerendered output',
        answerLimitMs: SCAN_LIMIT_MS,
        timeoutFix: 'run next build again, or set leakCheck: false to build without it.',
      });
      if (result.scanned.length === 0) return;
      const where = `the prerendered output (${result.scanned.join(', ')})`;
      const error = outcomeOf(result, where, false);
      if (error === undefined) return;
      console.error(`\n${error.name} [${error.code}]: ${error.message}\n`);
      process.exitCode = 1;
    } catch (error) {
      const failed = InfisicalError.from(error, 'The leak check failed');
      console.error(`\n${failed.name} [${failed.code}]: ${failed.message}\n`);
      process.exitCode = 1;
    }
  });
}

/**
 * A `runAfterProductionCompile` hook that runs `previous` (the config's own hook), then step 1
 * of the leak check of `secrets`, and schedules step 2.
 *
 * @throws InfisicalError `LEAK_DETECTED` naming each key, file and form.
 */
export function leakCheckHook(
  secrets: BuildSecrets,
  options: LeakCheckOptions,
  target: LeakCheckTarget = {},
  previous?: AfterCompileHook,
): AfterCompileHook {
  const { baseline, ...settings } = options;
  const values: LeakValueOptions = {
    privateValues: secrets.privateValues,
    publicValues: secrets.publicValues,
    credentials: secrets.credentials,
    ...settings,
  };
  return async (metadata) => {
    await previous?.(metadata);
    const { projectDir, distDir } = metadata;
    const staticDir = join(distDir, 'static');
    if (secrets.source !== 'infisical') {
      const why =
        secrets.source === 'skipped'
          ? 'secrets were not loaded (skip / INFISICAL_SKIP=true)'
          : 'Infisical was unreachable and the environment was used (fallbackToEnv)';
      console.warn(`⚠ Infisical: leak check of ${shown(projectDir, staticDir)} skipped: ${why}.`);
      return;
    }
    const request = (roots: OutputRoot[]): OutputScanRequest => ({
      values,
      roots,
      projectDir,
      ...(baseline === undefined ? {} : { baseline }),
    });
    if (existsSync(staticDir)) {
      const where = shown(projectDir, staticDir);
      // Findings name files inside the folder.
      const result = await scanOutput(request([{ dir: staticDir, name: where }]));
      const error = outcomeOf(result, where, true);
      if (error) throw error;
    }
    if (!scheduled.has(distDir)) {
      scheduled.add(distDir);
      checkAtExit(request(prerenderRoots(projectDir, distDir, target)));
    }
  };
}
