/**
 * Turns the `auth` option (or, without one, the environment) into an {@link AuthMethod}, through
 * the one methods table: the same rows name the option keys and the variables that pick them.
 *
 * @module
 */
import { nearestName } from '../config/option-names.js';
import { InfisicalError } from '../errors/infisical-error.js';
import { type EnvCredential, type EnvSource, envCredential } from '../runtime/env.js';
import { accessToken, accessTokenFromEnv } from './access-token.js';
import type { AuthMethod } from './auth-method.js';
import {
  AUTH_METHODS,
  type AuthMethodEntry,
  type AuthMethodFactory,
  registeredAuthMethod,
} from './auth-methods.js';
import type { AwsIamAuthOptions } from './aws-iam.js';
import type { AzureAuthOptions } from './azure.js';
import type { GcpIamAuthOptions } from './gcp-iam.js';
import type { GcpIdTokenAuthOptions } from './gcp-id-token.js';
import type { JwtLoginOptions } from './jwt-auth.js';
import type { KubernetesAuthOptions } from './kubernetes.js';
import {
  type UniversalAuthCredentials,
  universalAuth,
  universalAuthFromEnv,
} from './universal-auth.js';

/** Every login method by its option key. */
export interface AuthMethodOptions {
  /** Universal Auth: a machine identity's client id and secret. Env: `INFISICAL_UNIVERSAL_AUTH_CLIENT_ID` / `_CLIENT_SECRET`. */
  universalAuth: UniversalAuthCredentials;
  /** An identity access token (Token Auth) or a legacy service token. Env: `INFISICAL_TOKEN`. */
  accessToken: string;
  /** AWS IAM auth: a signed STS `GetCallerIdentity` request. Env: `INFISICAL_AWS_IAM_AUTH_IDENTITY_ID`. */
  awsIam: AwsIamAuthOptions;
  /** GCP IAM auth: a service-account key and IAM Credentials `signJwt`. Env: `INFISICAL_GCP_IAM_AUTH_IDENTITY_ID`. */
  gcpIam: GcpIamAuthOptions;
  /** GCP ID token auth: an ID token from the GCP metadata server. Env: `INFISICAL_GCP_AUTH_IDENTITY_ID`. */
  gcpIdToken: GcpIdTokenAuthOptions;
  /** Azure auth: a managed identity token from the Azure metadata service. Env: `INFISICAL_AZURE_AUTH_IDENTITY_ID`. */
  azure: AzureAuthOptions;
  /** Kubernetes auth: the pod's service-account token. Env: `INFISICAL_KUBERNETES_IDENTITY_ID`. */
  kubernetes: KubernetesAuthOptions;
  /** OIDC auth: a JWT from an OIDC provider. Env: `INFISICAL_OIDC_AUTH_IDENTITY_ID`. */
  oidc: JwtLoginOptions;
  /** JWT auth: a JWT signed by a key the identity trusts. Env: `INFISICAL_JWT_AUTH_IDENTITY_ID`. */
  jwt: JwtLoginOptions;
}

/** One key of `T`, the others forbidden. */
type ExactlyOne<T> = {
  [K in keyof T]: Pick<T, K> & { [Other in Exclude<keyof T, K>]?: never };
}[keyof T];

/**
 * How the client logs in: exactly one method (or a custom {@link AuthMethod}). Without `auth`,
 * the method is picked from the environment variables each method names, in the order of
 * {@link AuthMethodOptions}. The cloud methods are built into `@infisical/core/node` (import it
 * once); in the main entry pass them as a method, e.g. `auth: awsIamAuth({ identityId })`.
 */
export type AuthOptions = ExactlyOne<AuthMethodOptions> | AuthMethod;

/** The methods every build carries. */
const BUILT_IN: Readonly<Record<string, AuthMethodFactory>> = {
  universalAuth: (credentials: UniversalAuthCredentials) => universalAuth(credentials),
  accessToken: (token: string) => accessToken(token),
};

const NODE_ENTRY_FIX =
  "import '@infisical/core/node' once (on Node, Bun or Deno: it adds the cloud methods), or pass the method itself";

const isAuthMethod = (value: unknown): value is AuthMethod =>
  typeof value === 'object' && value !== null && typeof (value as AuthMethod).login === 'function';

/** Resolves the auth option, falling back to environment variables. */
export function resolveAuth(auth: AuthOptions | undefined, env: EnvSource): AuthMethod {
  if (auth === undefined) return authFromEnv(env);
  if (isAuthMethod(auth)) return auth;
  if (typeof auth !== 'object' || auth === null) throw invalidAuth('auth must be an object');
  const keys = Object.keys(auth);
  if (keys.length !== 1) {
    throw invalidAuth(
      `auth must name exactly one method, got ${keys.length ? keys.join(', ') : 'none'}`,
    );
  }
  const key = keys[0] as string;
  const entry = AUTH_METHODS.find((row) => row.key === key);
  if (entry === undefined) {
    const nearest = nearestName(
      key,
      AUTH_METHODS.map((row) => row.key),
    );
    throw invalidAuth(
      `unknown auth method "${key}"${nearest === undefined ? '' : ` (did you mean "${nearest}"?)`}`,
    );
  }
  const value = (auth as Record<string, unknown>)[key];
  if (
    key !== 'accessToken' &&
    (typeof value !== 'object' || value === null || Array.isArray(value))
  ) {
    throw invalidAuth(
      `auth.${key} must be an object (its fields fall back to environment variables)`,
    );
  }
  return factoryOf(entry, `auth.${key}`)(value as never, env);
}

/**
 * Picks the first method of the table whose environment variables are set, each directly or as
 * the file its `_FILE` twin names.
 */
function authFromEnv(env: EnvSource): AuthMethod {
  for (const entry of AUTH_METHODS) {
    const credentials = entry.env.map((name) => envCredential(env, name));
    const set = credentials.filter((credential) => credential !== undefined);
    if (set.length === 0) continue;
    if (set.length < entry.env.length) {
      const missing = entry.env.filter((_, i) => credentials[i] === undefined);
      throw new InfisicalError(
        'CREDENTIALS_UNAVAILABLE',
        `${entry.label} needs ${entry.env.join(' and ')} (each may be a _FILE variable); ${missing.join(', ')} is not set.`,
      );
    }
    const [first, second] = credentials as EnvCredential[];
    if (entry.key === 'universalAuth')
      return universalAuthFromEnv(first as EnvCredential, second as EnvCredential);
    if (entry.key === 'accessToken') return accessTokenFromEnv(first as EnvCredential);
    const via = set.map((credential) => credential.variable).join(', ');
    return factoryOf(entry, via)({} as never, env);
  }
  throw new InfisicalError(
    'CREDENTIALS_UNAVAILABLE',
    'No Infisical credentials: pass the auth option, or set INFISICAL_UNIVERSAL_AUTH_CLIENT_ID and ' +
      'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, or INFISICAL_TOKEN, or the identity id of a ' +
      `machine-identity method: ${AUTH_METHODS.slice(2)
        .flatMap((entry) => entry.env)
        .join(
          ', ',
        )} (each variable may instead be given as <name>_FILE, the path of a file holding it).`,
  );
}

/** The implementation of a row: built in, or registered by `@infisical/core/node`. */
function factoryOf(entry: AuthMethodEntry, via: string): AuthMethodFactory {
  const factory = BUILT_IN[entry.key] ?? registeredAuthMethod(entry.key);
  if (factory !== undefined) return factory;
  throw new InfisicalError(
    'CONFIG_INVALID',
    `${via} asks for ${entry.label}, which this entry of @infisical/core does not include. Fix: ${NODE_ENTRY_FIX} (auth: ${entry.key}Auth(...) from '@infisical/core').`,
    { details: { method: entry.key } },
  );
}

function invalidAuth(problem: string): InfisicalError {
  return new InfisicalError(
    'CONFIG_INVALID',
    `Invalid auth option: ${problem}. Fix: pass e.g. { universalAuth: { clientId, clientSecret } }.`,
  );
}
