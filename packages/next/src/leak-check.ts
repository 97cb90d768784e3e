/**
 * The leak check of `next build`: once compiled, the client output (`.next/static`) is searched
 * for every private value through core's scan; a finding fails the build naming the key and the
 * file, never the value.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { leakError } from '@infisical/core';
import { scanFilesForLeaks } from '@infisical/core/node';
import type { BuildSecrets } from './load-protocol.js';
import type { LeakCheckOptions } from './options.js';

/** Next's `compiler.runAfterProductionCompile` hook. */
export type AfterCompileHook = (metadata: { projectDir: string; distDir: string }) => Promise<void>;

/**
 * A `runAfterProductionCompile` hook that runs `previous` (the config's own hook), then the leak
 * check of `secrets`.
 *
 * @throws InfisicalError `LEAK_DETECTED` naming each key and file.
 */
export function leakCheckHook(
  secrets: BuildSecrets,
  options: LeakCheckOptions,
  previous?: AfterCompileHook,
): AfterCompileHook {
  const ignored = new Set(options.ignore ?? []);
  const checked = Object.fromEntries(
    Object.entries(secrets.privateValues).filter(([key]) => !ignored.has(key)),
  );
  return async (metadata) => {
    await previous?.(metadata);
    const dir = resolve(metadata.projectDir, metadata.distDir, 'static');
    const where = relative(metadata.projectDir, dir);
    if (secrets.source !== 'infisical') {
      const why =
        secrets.source === 'skipped'
          ? 'secrets were not loaded (skip / INFISICAL_SKIP=true)'
          : 'Infisical was unreachable and the environment was used (fallbackToEnv)';
      console.warn(`⚠ Infisical: leak check of ${where} skipped: ${why}.`);
      return;
    }
    if (!existsSync(dir)) return;
    const findings = await scanFilesForLeaks(dir, checked, {
      publicValues: Object.values(secrets.publicValues),
      ...(options.minLength === undefined ? {} : { minLength: options.minLength }),
    });
    if (findings.length > 0) throw leakError(findings, where);
    const count = Object.keys(checked).length;
    console.log(`✓ Infisical: no private secret value in ${where} (${count} checked)`);
  };
}
