/**
 * The options of `withInfisical`: core's load options narrowed to plain data (they cross into a
 * worker thread), plus the Next-specific ones.
 *
 * @module
 */
import {
  type AuthMethod,
  type AuthOptions,
  type FindLeaksOptions,
  InfisicalError,
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
   * After `next build` compiled, scan `.next/static` for every private value and fail the build
   * naming the key and file; `false` turns it off.
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

/** Settings of the leak check (`leakCheck` option). */
export interface LeakCheckOptions extends Pick<FindLeaksOptions, 'minLength'> {
  /**
   * Keys whose values may appear in client code: values that are not secret and that client code
   * contains anyway, such as `DB_HOST=localhost` (Next's client runtime holds the word).
   * @default []
   */
  ignore?: readonly string[];
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
