/**
 * `@infisical/next`: `withInfisical(nextConfig, options)` loads secrets from Infisical into
 * `process.env` while `next.config` is evaluated (`next dev`, `next build`, `next start`), so
 * server code and `NEXT_PUBLIC_` (or allowlisted) keys work, and `next build` fails if a private
 * value or an Infisical credential reached the client chunks, the prerendered pages or
 * `public/`. Runtime access (rotation without a rebuild, `output: 'standalone'`) is in
 * `@infisical/next/runtime`.
 *
 * @module @infisical/next
 */
import {
  createRedactor,
  InfisicalError,
  type LeakCheckOptions,
  leakCheckSettings,
} from '@infisical/core';
import type { NextConfig } from 'next';
import { leakCheckHook } from './leak-check.js';
import type { BuildSecrets } from './load-protocol.js';
import { loadSecretsSync } from './load-sync.js';
import { assertPlainData, NEXT_PUBLIC_PREFIXES, type WithInfisicalOptions } from './options.js';

export type { InfisicalSecretKeys, LeakCheckOptions } from '@infisical/core';
export { InfisicalError, type InfisicalErrorCode, isInfisicalError } from '@infisical/core';
export type { WithInfisicalOptions } from './options.js';

/** The function form of a Next config: `(phase, { defaultConfig }) => config`, sync or async. */
export type NextConfigFunction = (
  phase: string,
  context: { defaultConfig: NextConfig },
) => NextConfig | PromiseLike<NextConfig>;

/** Every form a `next.config` file can export. */
export type NextConfigInput = NextConfig | NextConfigFunction | PromiseLike<NextConfig>;

/**
 * Wraps a Next config: loads the secrets into `process.env` now (through core's `loadSecrets`,
 * `NEXT_PUBLIC_` keys and `publicKeys` public), and returns the config in the same form (object,
 * function, async function) with additions only: allowlisted public keys without the prefix in
 * `env`, and the leak check in `compiler.runAfterProductionCompile` (after the config's own).
 *
 * @throws InfisicalError `CONFIG_INVALID` for arguments of the wrong kind, or what the load threw
 * (`AUTH_FAILED`, `MISSING_SECRETS`, ...).
 */
export function withInfisical<C extends NextConfigInput = NextConfig>(
  nextConfig?: C,
  options: WithInfisicalOptions = {},
): C {
  if (nextConfig === null || !['object', 'function', 'undefined'].includes(typeof nextConfig)) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      `withInfisical got a ${nextConfig === null ? 'null' : typeof nextConfig} instead of a Next config. Fix: pass the config object or function, e.g. withInfisical(nextConfig, options).`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'withInfisical options must be an object. Fix: pass e.g. { required: ["SESSION_SECRET"] }, or nothing.',
    );
  }
  assertPlainData(options);
  const { leakCheck, typesFile, redactLogs, ...loadOptions } = options;
  const check = leakCheckSettings(leakCheck, 'withInfisical');
  const secrets = loadSecretsSync(
    { ...loadOptions, publicPrefixes: NEXT_PUBLIC_PREFIXES, injectEnv: true },
    typesFile,
  );
  // Redaction in this thread (the worker's console is its own), for the life of the process.
  if (redactLogs && !redacting.has(secrets)) {
    redacting.add(secrets);
    const { privateValues, publicValues, credentials } = secrets;
    createRedactor({ privateValues, publicValues, credentials }).installConsole();
  }
  const extend = (config: NextConfig): NextConfig => addToConfig(config, secrets, check);

  if (typeof nextConfig === 'function') {
    const wrapped: NextConfigFunction = (phase, context) => {
      const config = nextConfig(phase, context);
      return isPromiseLike(config) ? Promise.resolve(config).then(extend) : extend(config);
    };
    return wrapped as C;
  }
  if (isPromiseLike(nextConfig)) return Promise.resolve(nextConfig).then(extend) as unknown as C;
  return extend(nextConfig ?? {}) as C;
}

/** The loads whose values this process's console redacts (`redactLogs`). */
const redacting = new WeakSet<BuildSecrets>();

function addToConfig(
  config: NextConfig,
  secrets: BuildSecrets,
  leakCheck: LeakCheckOptions | undefined,
): NextConfig {
  const result: NextConfig = { ...config };
  // NEXT_PUBLIC_ keys are inlined from process.env by Next itself; other public keys need `env`.
  const inlined = Object.entries(secrets.publicValues).filter(
    ([key]) => !NEXT_PUBLIC_PREFIXES.some((prefix) => key.startsWith(prefix)),
  );
  if (inlined.length > 0) result.env = { ...Object.fromEntries(inlined), ...config.env };
  if (leakCheck) {
    const previous = config.compiler?.runAfterProductionCompile;
    // `output: 'export'` writes to `out`, or to `distDir` when one is set (Next's rule).
    const distDir = config.distDir ?? '.next';
    const target =
      config.output === 'export' ? { exportDir: distDir === '.next' ? 'out' : distDir } : {};
    const runAfterProductionCompile = leakCheckHook(secrets, leakCheck, target, previous);
    result.compiler = { ...config.compiler, runAfterProductionCompile };
  }
  return result;
}

function isPromiseLike(value: unknown): value is PromiseLike<NextConfig> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
