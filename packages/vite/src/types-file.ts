/**
 * The generated declaration of the plugin: Vite's `ImportMetaEnv` for the public keys, and core's
 * `InfisicalSecretKeys` for every key (through `@infisical/core/node`). Key names only, never a
 * value.
 *
 * @module
 */
import type { Secrets } from '@infisical/core';
import { writeSecretKeyTypes } from '@infisical/core/node';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The `ImportMetaEnv` declaration of these public keys (sorted, so it is stable). */
export function importMetaEnvTypes(publicKeys: readonly string[]): string {
  const fields = [...publicKeys]
    .sort()
    .map((key) => `    readonly ${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: string;`);
  return [
    '/// <reference types="vite/client" />',
    '',
    'declare global {',
    '  interface ImportMetaEnv {',
    ...fields,
    '  }',
    '}',
  ].join('\n');
}

/** Writes the declaration of `secrets`' keys to `file` unless it already says that; true when written. */
export function writeEnvTypes(file: string, secrets: Secrets<string>): Promise<boolean> {
  return writeSecretKeyTypes(file, Object.keys(secrets.values), {
    module: '@infisical/vite',
    prelude: importMetaEnvTypes(Object.keys(secrets.publicValues)),
  });
}
