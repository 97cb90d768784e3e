/**
 * What a handle gives the leak scanner and the log redactor: its private and public values and
 * the Infisical credentials it knows — the client secret and tokens in its options and its
 * environment, and every access token its client has held. One frozen object per state, so
 * callers rebuild a scanner only when it changes; it prints no value (`util.inspect`, JSON).
 *
 * @module
 */
import type { LeakCredential } from '../leaks/values.js';
import { type EnvSource, envValue } from '../runtime/env.js';
import type { SecretValues } from '../secrets/value-map.js';

/** The values a leak check or log redaction looks for (`createLeakScanner`, `createRedactor`). */
export interface LeakCheckValues {
  /** The private values, by key. */
  readonly privateValues: SecretValues;
  /** The public values, by key (allowed in client code). */
  readonly publicValues: SecretValues;
  /** The Infisical credentials: never allowed anywhere, whatever `ignore` or the baseline say. */
  readonly credentials: readonly LeakCredential[];
}

/** The credential variables, each the label of the value it holds. */
const CREDENTIAL_VARIABLES = [
  'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET',
  'INFISICAL_TOKEN',
  'INFISICAL_OIDC_AUTH_JWT',
  'INFISICAL_JWT_AUTH_JWT',
] as const;

/** The credential an `auth` option in data form holds, under its variable's label. */
function optionCredentials(auth: unknown): LeakCredential[] {
  if (typeof auth !== 'object' || auth === null) return [];
  const given = auth as {
    universalAuth?: { clientSecret?: unknown };
    accessToken?: unknown;
    oidc?: { jwt?: unknown };
    jwt?: { jwt?: unknown };
  };
  const found: [string, unknown][] = [
    ['INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET', given.universalAuth?.clientSecret],
    ['INFISICAL_TOKEN', given.accessToken],
    ['INFISICAL_OIDC_AUTH_JWT', given.oidc?.jwt],
    ['INFISICAL_JWT_AUTH_JWT', given.jwt?.jwt],
  ];
  return found.flatMap(([label, value]) =>
    typeof value === 'string' && value.trim() !== '' ? [{ label, value: value.trim() }] : [],
  );
}

/**
 * The Infisical credentials of `auth` (its data form) and of `env`'s credential variables: all
 * of them, whichever method logs in — a credential that is set can leak whether it is used or not.
 */
export function configuredCredentials(auth: unknown, env: EnvSource): LeakCredential[] {
  const credentials = optionCredentials(auth);
  for (const label of CREDENTIAL_VARIABLES) {
    const value = envValue(env, label);
    if (value !== undefined) credentials.push({ label, value });
  }
  return credentials;
}

/** Access tokens remembered per handle: a renewed token may still be valid, and may have shipped. */
const MAX_TOKENS = 8;

/** Builds {@link LeakCheckValues}, the same object until the values or the tokens change. */
export class LeakValuesCache {
  readonly #configured: readonly LeakCredential[];
  readonly #tokens: string[] = [];
  #current: LeakCheckValues | undefined;

  /** @param configured - the credentials of the options and the environment ({@link configuredCredentials}). */
  constructor(configured: readonly LeakCredential[]) {
    this.#configured = configured;
  }

  /** The values for `parts`, with `token` (the client's current access token) remembered. */
  get(
    parts: { privateValues: SecretValues; publicValues: SecretValues },
    token: string | undefined,
  ): LeakCheckValues {
    const known = token === undefined || this.#tokens.includes(token);
    if (!known) {
      this.#tokens.push(token);
      if (this.#tokens.length > MAX_TOKENS) this.#tokens.shift();
    }
    const current = this.#current;
    if (
      known &&
      current?.privateValues === parts.privateValues &&
      current.publicValues === parts.publicValues
    ) {
      return current;
    }
    const configured = new Set(this.#configured.map((credential) => credential.value));
    const tokens = this.#tokens
      .filter((value) => !configured.has(value))
      .map((value) => ({ label: 'access token', value }));
    this.#current = hideValues({
      privateValues: parts.privateValues,
      publicValues: parts.publicValues,
      credentials: Object.freeze([...this.#configured, ...tokens]),
    });
    return this.#current;
  }
}

/** `values` frozen, with `toJSON` and `util.inspect` that show counts only. */
function hideValues(values: LeakCheckValues): LeakCheckValues {
  const counts = (): { private: number; public: number; credentials: number } => ({
    private: Object.keys(values.privateValues).length,
    public: Object.keys(values.publicValues).length,
    credentials: values.credentials.length,
  });
  Object.defineProperty(values, 'toJSON', { value: counts });
  Object.defineProperty(values, Symbol.for('nodejs.util.inspect.custom'), {
    value: (): string => {
      const shown = counts();
      return `LeakCheckValues { private: ${shown.private}, public: ${shown.public}, credentials: ${shown.credentials} }`;
    },
  });
  return Object.freeze(values);
}
