/**
 * What the machine-identity login methods share, written once: the declared shape
 * ({@link machineLogin}: option names checked, the identity id from its option or variable, the
 * login call and its refusal), option checks, and credential files read at each login.
 *
 * @module
 */
import { checkOptionNames } from '../config/option-names.js';
import { InfisicalError } from '../errors/infisical-error.js';
import {
  type EnvCredential,
  type EnvSource,
  envCredential,
  processEnv,
  readTextFile,
} from '../runtime/env.js';
import {
  type AccessTokenGrant,
  type AuthContext,
  type AuthMethod,
  identityLogin,
} from './auth-method.js';
import { authMethodEntry } from './auth-methods.js';

/** A machine-identity login method, declared: everything but how its credential is obtained. */
export interface MachineLoginSpec<O extends { identityId?: string }> {
  /** The key under `auth` (a row of the methods table, which names it and its variable). */
  key: string;
  /** Short name for logs, e.g. `aws-iam`. */
  name: string;
  /** The login endpoint. */
  path: string;
  /** Every option name the method takes (`identityId` included); others are refused. */
  optionNames: readonly (keyof O & string)[];
  /** How to fix a refused login. */
  hint: string;
  /**
   * Checks the method's own options once, and returns what each login adds to the body beside
   * `identityId` (a JWT, a signed request...), obtained afresh at each login.
   */
  prepare(
    options: Partial<O>,
    env: EnvSource,
  ): (context: AuthContext, identityId: string) => Promise<Record<string, unknown>>;
}

/** The factory of a machine-identity method: `factory(options?, env?)` gives the {@link AuthMethod}. */
export type MachineLoginFactory<O> = (options?: O, env?: EnvSource) => AuthMethod;

/**
 * Builds a machine-identity login method from its declaration.
 *
 * @throws InfisicalError (from the factory) `CONFIG_INVALID` for malformed or unknown options,
 * `CREDENTIALS_UNAVAILABLE` without an identity id.
 */
export function machineLogin<O extends { identityId?: string }>(
  spec: MachineLoginSpec<O>,
): MachineLoginFactory<O> {
  const {
    label,
    env: [identityEnv],
  } = authMethodEntry(spec.key);
  return (options, env = processEnv()) => {
    const opts = optionsObject(options, label);
    checkOptionNames(opts, spec.optionNames, `auth.${spec.key}`);
    const identity = identityIdFrom(opts.identityId, env, identityEnv as string, label);
    const credential = spec.prepare(opts, env);
    return {
      name: spec.name,
      renewable: true,
      // An id read from a file at login is named by its variable (the fleet needs fleet.key anyway).
      fleetIdentity: () => ({
        id: `${spec.name}:${identity.value ?? identity.variable}`,
        secret: undefined,
      }),
      async login(context: AuthContext): Promise<AccessTokenGrant> {
        const identityId = await identity.read();
        const body = { identityId, ...(await credential(context, identityId)) };
        return identityLogin(context, label, spec.path, body, spec.hint);
      },
    };
  };
}

/** Characters an HTTP header value or a JWT can hold (visible ASCII, no spaces or line breaks). */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/** A `CONFIG_INVALID` error for an option of a login method. */
export function invalidOption(method: string, problem: string, fix: string): InfisicalError {
  return new InfisicalError('CONFIG_INVALID', `Invalid ${method} option: ${problem}. Fix: ${fix}.`);
}

/** An options object, or `{}` when left out; anything else is `CONFIG_INVALID`. */
export function optionsObject<T extends object>(value: T | undefined, method: string): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidOption(
      method,
      'the options must be an object',
      'pass an object such as { identityId }',
    );
  }
  return value;
}

/** An optional string option: `undefined`, or a non-empty string (trimmed). */
export function optionalString(value: unknown, name: string, method: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidOption(
      method,
      `${name} must be a non-empty string`,
      `pass a string or leave ${name} out`,
    );
  }
  return value.trim();
}

/**
 * The machine identity id: the option, else the environment variable (or the file its `_FILE`
 * twin names, read at each login).
 *
 * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` when none is set, `CONFIG_INVALID` when both
 * variables are.
 */
function identityIdFrom(
  value: unknown,
  env: EnvSource,
  envName: string,
  method: string,
): EnvCredential {
  const id = optionalString(value, 'identityId', method);
  if (id !== undefined) return { variable: 'identityId', value: id, read: async () => id };
  const fromEnv = envCredential(env, envName);
  if (fromEnv === undefined) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `${method} needs the machine identity id. Fix: pass the identityId option or set ${envName} (or ${envName}_FILE).`,
    );
  }
  return fromEnv;
}

/**
 * A base URL option (a cloud endpoint): absolute http(s), without query or fragment; the trailing
 * slash is dropped.
 */
export function baseUrl(value: unknown, fallback: string, name: string, method: string): string {
  if (value === undefined) return fallback;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw invalidOption(
      method,
      `${name} must be an absolute http(s) URL without query string`,
      `pass a base URL such as ${fallback}`,
    );
  }
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

/**
 * A token (JWT, access token) read from a file at each login, since such files rotate. An empty
 * file or one holding more than a token is `CREDENTIALS_UNAVAILABLE`; the content is never quoted.
 */
export async function readTokenFile(path: string, what: string): Promise<string> {
  const token = await readTextFile(path, what);
  checkToken(
    token,
    `The ${what} file at ${path}`,
    'check that the file holds the token and nothing else',
  );
  return token;
}

/** A token from an environment credential (a variable or the file its `_FILE` twin names), checked. */
export async function readToken(credential: EnvCredential): Promise<string> {
  const token = await credential.read();
  checkToken(
    token,
    credential.value === undefined ? `The ${credential.variable} file` : credential.variable,
    credential.value === undefined
      ? 'check that the file holds the token and nothing else'
      : 'set it to the token exactly as issued',
  );
  return token;
}

/** Checks that a credential can travel in a JSON body or header: non-empty visible ASCII. */
export function checkToken(token: string, source: string, fix: string): void {
  if (!TOKEN_CHARS.test(token)) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `${source} is empty or holds spaces, line breaks or non-ASCII characters, so it is not a token. Fix: ${fix}.`,
    );
  }
}
