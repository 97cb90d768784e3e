/**
 * What the plugin adds around the core loader: where the `INFISICAL_*` settings come from in a
 * Vite project, and the one line logged after loading.
 *
 * @module
 */
import { resolve } from 'node:path';
import type { Secrets } from '@infisical/core';
import { loadEnv, type UserConfig } from 'vite';
import { PLUGIN_NAME } from './errors.js';

/** `process.env` plus the `INFISICAL_*` variables of Vite's `.env` files (the shell's win). */
export function infisicalEnv(
  config: UserConfig,
  mode: string,
  root: string,
): Record<string, string | undefined> {
  const envDir = config.envDir === false ? false : resolve(root, config.envDir ?? '');
  return { ...process.env, ...loadEnv(mode, envDir, 'INFISICAL_') };
}

/** The line logged once secrets are loaded: where from, and the public key names (no values). */
export function loadSummary(loaded: Secrets<string>): string {
  if (loaded.source === 'skipped')
    return `[${PLUGIN_NAME}] Infisical skipped (skip / INFISICAL_SKIP): the declared keys come from the environment`;
  if (loaded.source === 'env-fallback')
    return `[${PLUGIN_NAME}] Infisical unreachable: the declared keys come from the environment (fallbackToEnv)`;
  const publicKeys = Object.keys(loaded.publicValues);
  return (
    `[${PLUGIN_NAME}] ${Object.keys(loaded.values).length} secrets loaded into process.env; ` +
    `client code sees ${publicKeys.length ? publicKeys.join(', ') : 'none of them'}`
  );
}
