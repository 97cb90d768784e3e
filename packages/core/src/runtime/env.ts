/**
 * Access to environment variables and files without importing `node:*`, so the main entry runs on
 * edge runtimes too: `process.env` when it exists, `node:fs` through `process.getBuiltinModule`.
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';

/** Where options fall back to: a record of environment variables. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

interface ProcessLike {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

const runtimeProcess = (): ProcessLike | undefined =>
  (globalThis as { process?: ProcessLike }).process;

/** The process environment, or an empty record where there is none (edge runtimes). */
export function processEnv(): Record<string, string | undefined> {
  return runtimeProcess()?.env ?? {};
}

/** A trimmed, non-empty variable, or undefined. */
export function envValue(env: EnvSource, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

interface FsLike {
  promises: { readFile(path: string, encoding: 'utf8'): Promise<string> };
}

/**
 * Reads a UTF-8 file through `node:fs` (Node ≥ 20.16, Bun, Deno). On runtimes without a file
 * system it fails with `CREDENTIALS_UNAVAILABLE`, naming what to pass instead.
 */
export async function readTextFile(path: string, what: string): Promise<string> {
  const fs = runtimeProcess()?.getBuiltinModule?.('node:fs') as FsLike | undefined;
  if (!fs) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `Cannot read the ${what} file at ${path}: this runtime has no file system. Fix: pass the ${what} itself in the options.`,
    );
  }
  try {
    return (await fs.promises.readFile(path, 'utf8')).trim();
  } catch (cause) {
    const code = (cause as { code?: string }).code ?? 'error';
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `Cannot read the ${what} file at ${path} (${code}). Fix: check the path and its permissions.`,
      { cause },
    );
  }
}
