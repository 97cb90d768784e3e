/**
 * The options of `withInfisical`: core's load options narrowed to plain data (they cross into a
 * worker thread), plus the Next-specific ones.
 *
 * @module
 */
import {
  type AuthMethod,
  type AuthOptions,
  InfisicalError,
  type LeakCheckOptions,
  type SecretKey,
  type SecretsOptions,
} from '@infisical/core';

/** Keys starting with this reach client code (Next inlines them at build). */
export const NEXT_PUBLIC_PREFIXES: readonly string[] = ['NEXT_PUBLIC_'];

/**
 * Options of `withInfisical`. They are core's options (documented there, with their environment
 * variables), limited to plain data: secrets load while `next.config` is evaluated, in a worker
 * thread. Function-valued options (`schema`, `onError`, `fetch`, `client`, `cacheStore`, `fleet`,
 * a custom auth method or logger) belong to `register()` from `@infisical/next/runtime`; `injectEnv` is
 * always on and `NEXT_PUBLIC_` is the public prefix.
 */
export interface WithInfisicalOptions
  extends Omit<
    SecretsOptions<SecretKey>,
    | 'auth'
    | 'debug'
    | 'schema'
    | 'onError'
    | 'fetch'
    | 'client'
    | 'cacheStore'
    | 'fleet'
    | 'publicPrefixes'
    | 'injectEnv'
  > {
  /** How to log in, as in core, in its data form (`{ universalAuth: {...} }`, `{ accessToken }`, ...). */
  auth?: Exclude<AuthOptions, AuthMethod>;
  /** `true` logs what the client does (never a value). @default false (env `INFISICAL_DEBUG=true`) */
  debug?: boolean;
  /**
   * The leak check of `next build`: once compiled, `.next/static` (the client chunks); once
   * prerendered, the prerendered pages (`.html`, `.rsc`, `.body`, `.meta` under
   * `.next/server/app`, `.html` and `.json` under `.next/server/pages`) and `public/`, or the
   * static export (`output: 'export'`). Every private value and Infisical credential is looked
   * for, in every form core's scanner knows; a finding fails the build naming the key, the file
   * and the form. A value that Next's own client runtime holds is a warning. `false` turns it
   * off; `{ ignore, minLength, baseline }` tunes it.
   * @default true
   */
  leakCheck?: boolean | LeakCheckOptions;
  /**
   * After a load from Infisical, write a declaration of the loaded key names (no values) to this
   * file, relative to the project, so `getSecret('KEY')` is typed and an unknown key does not
   * compile. Rewritten only when the keys change.
   */
  typesFile?: string;
}

/**
 * Checks that every option is plain data (no function, no class instance) and names the first
 * one that is not.
 *
 * @throws InfisicalError `CONFIG_INVALID`
 */
export function assertPlainData(options: object): void {
  for (const [key, value] of Object.entries(options)) {
    if (!isPlainData(value)) {
      throw new InfisicalError(
        'CONFIG_INVALID',
        `withInfisical option ${key} is not plain data: withInfisical loads secrets while next.config is evaluated, in a worker thread, so its options must be strings, numbers, booleans, arrays and plain objects. ` +
          `Fix: pass ${key} to register() from @infisical/next/runtime instead (it takes every option).`,
      );
    }
  }
}

function isPlainData(value: unknown): boolean {
  if (typeof value === 'function' || typeof value === 'symbol') return false;
  if (typeof value !== 'object' || value === null) return true;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every(isPlainData);
}
