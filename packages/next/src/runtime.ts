/**
 * `@infisical/next/runtime`: secrets at server run time. `register()` (from `instrumentation.ts`)
 * loads them when the Node server starts, which also covers `output: 'standalone'`, where
 * `next.config` is not evaluated; `getSecret` / `getSecrets` return current values through
 * core's cache, so rotations show after `cacheTtl` without a rebuild or a restart. One loaded
 * instance per JavaScript realm is shared by every copy of this module (a `globalThis` symbol).
 *
 * @module @infisical/next/runtime
 */
import { InfisicalError, loadSecrets, type Secrets, type SecretsOptions } from '@infisical/core';
import { NEXT_PUBLIC_PREFIXES } from './options.js';

export { InfisicalError, type InfisicalErrorCode, isInfisicalError } from '@infisical/core';

/**
 * Options of {@link register}: core's load options (documented there). Keys starting with
 * `NEXT_PUBLIC_`, and `publicKeys`, are public.
 */
export type InfisicalRuntimeOptions = Omit<SecretsOptions, 'publicPrefixes'>;

const STATE = Symbol.for('@infisical/next.runtime');

type GlobalWithSecrets = typeof globalThis & { [STATE]?: Promise<Secrets> };

/** Whether this code runs in Next's Edge runtime (Next sets `NEXT_RUNTIME`). */
function isEdgeRuntime(): boolean {
  return typeof process !== 'undefined' && process.env.NEXT_RUNTIME === 'edge';
}

/** The shared load, started with `options` when there is none yet. */
function shared(options: InfisicalRuntimeOptions): Promise<Secrets> {
  const scope = globalThis as GlobalWithSecrets;
  const existing = scope[STATE];
  if (existing) return existing;
  const loading = loadSecrets({ ...options, publicPrefixes: NEXT_PUBLIC_PREFIXES });
  scope[STATE] = loading;
  // A failed load is not kept: the next call tries again.
  loading.catch(() => {
    if (scope[STATE] === loading) delete scope[STATE];
  });
  return loading;
}

/**
 * Loads the secrets when the Node.js server starts; call it from `register()` in
 * `instrumentation.ts`. It writes them into `process.env` (`injectEnv`, default `true`), checks
 * `required` and `schema`, and keeps them for {@link getSecret}. Calling it again reuses the
 * first load. On the Edge runtime it does nothing: Edge code loads on first access instead.
 *
 * @throws InfisicalError the load's error (`AUTH_FAILED`, `MISSING_SECRETS`, `SCHEMA_INVALID`, ...).
 */
export async function register(options: InfisicalRuntimeOptions = {}): Promise<void> {
  if (isEdgeRuntime()) return;
  await shared({ injectEnv: true, ...options });
}

/**
 * Every secret's current value, read through core's cache: refetched once `cacheTtl` has passed,
 * the last good values when Infisical is unreachable. Without {@link register} (or on the Edge
 * runtime) the first call loads with the options from the environment (`INFISICAL_*`).
 */
export async function getSecrets(): Promise<Readonly<Record<string, string>>> {
  return (await shared({})).read();
}

/**
 * The current value of one secret (see {@link getSecrets}).
 *
 * @throws InfisicalError `MISSING_SECRETS` when the key is not loaded, `CONFIG_INVALID` for an empty name.
 */
export async function getSecret(name: string): Promise<string> {
  if (typeof name !== 'string' || name === '') {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'getSecret needs a secret name. Fix: pass the key, e.g. getSecret("DATABASE_URL").',
    );
  }
  const value = (await getSecrets())[name];
  if (value === undefined) {
    throw new InfisicalError(
      'MISSING_SECRETS',
      `Secret ${name} is not loaded. Fix: add it in Infisical (check the project, environment and path) or read another key.`,
      { details: { missing: [name] } },
    );
  }
  return value;
}
