/**
 * Access to environment variables and files without importing `node:*`, so the main entry runs on
 * edge runtimes too: `process.env` when it exists, `node:fs` through `process.getBuiltinModule`.
 * Credential variables also come as `*_FILE` variables naming a file (Docker and Kubernetes
 * secrets), read when the credential is needed.
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
 * Reads a UTF-8 file through `node:fs` (Node ≥ 20.16, Bun, Deno), trimmed (a trailing newline
 * is not part of a credential). On runtimes without a file system it fails with
 * `CREDENTIALS_UNAVAILABLE`, naming what to pass instead.
 *
 * @param details - the error's `details` (e.g. the variable that named the file).
 */
export async function readTextFile(path: string, what: string, details?: unknown): Promise<string> {
  const fs = runtimeProcess()?.getBuiltinModule?.('node:fs') as FsLike | undefined;
  if (!fs) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `Cannot read the ${what} file at ${path}: this runtime has no file system. Fix: pass the ${what} itself in the options.`,
      { details },
    );
  }
  try {
    return (await fs.promises.readFile(path, 'utf8')).trim();
  } catch (cause) {
    const code = (cause as { code?: string }).code ?? 'error';
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `Cannot read the ${what} file at ${path} (${code}). Fix: check the path and its permissions.`,
      { cause, details },
    );
  }
}

/** A credential from the environment: a variable's value, or the file its `*_FILE` twin names. */
export interface EnvCredential {
  /** The variable it comes from: `NAME`, or `NAME_FILE`. */
  readonly variable: string;
  /** The value when the variable holds it; undefined when it comes from a file. */
  readonly value: string | undefined;
  /**
   * The credential: the value, or the file's content (read at each call, since mounted secrets
   * change in place), trimmed.
   * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` for a missing, unreadable or empty file,
   * naming the variable and the path (never the content).
   */
  read(): Promise<string>;
}

/**
 * The credential variable `name` or its `*_FILE` twin (the file's path), or undefined when
 * neither is set.
 *
 * @throws InfisicalError `CONFIG_INVALID` when both are set.
 */
export function envCredential(env: EnvSource, name: string): EnvCredential | undefined {
  const value = envValue(env, name);
  const fileVariable = `${name}_FILE`;
  const path = envValue(env, fileVariable);
  if (value !== undefined && path !== undefined) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      `Both ${name} and ${fileVariable} are set. Fix: set only one of them (${fileVariable} names a file holding the value).`,
      { details: { variables: [name, fileVariable] } },
    );
  }
  if (value !== undefined) return { variable: name, value, read: async () => value };
  if (path === undefined) return undefined;
  const details = { variable: fileVariable, path };
  return {
    variable: fileVariable,
    value: undefined,
    async read() {
      const content = await readTextFile(path, fileVariable, details);
      if (content !== '') return content;
      throw new InfisicalError(
        'CREDENTIALS_UNAVAILABLE',
        `The ${fileVariable} file at ${path} is empty. Fix: write the value of ${name} into it.`,
        { details },
      );
    },
  };
}
