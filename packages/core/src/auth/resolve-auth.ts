/**
 * Turns the `auth` option (or, without one, the environment) into an {@link AuthMethod}.
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';
import { type EnvSource, envValue } from '../runtime/env.js';
import { accessToken } from './access-token.js';
import type { AuthMethod } from './auth-method.js';
import { AWS_IAM_IDENTITY_ID_ENV, type AwsIamAuthOptions, awsIamAuth } from './aws-iam.js';
import { AZURE_IDENTITY_ID_ENV, type AzureAuthOptions, azureAuth } from './azure.js';
import { GCP_IAM_IDENTITY_ID_ENV, type GcpIamAuthOptions, gcpIamAuth } from './gcp-iam.js';
import {
  GCP_ID_TOKEN_IDENTITY_ID_ENV,
  type GcpIdTokenAuthOptions,
  gcpIdTokenAuth,
} from './gcp-id-token.js';
import { JWT_ENV, type JwtLoginOptions, jwtAuth, OIDC_ENV, oidcAuth } from './jwt-auth.js';
import {
  KUBERNETES_IDENTITY_ID_ENV,
  type KubernetesAuthOptions,
  kubernetesAuth,
} from './kubernetes.js';
import { type UniversalAuthCredentials, universalAuth } from './universal-auth.js';

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
 * {@link AuthMethodOptions}.
 */
export type AuthOptions = ExactlyOne<AuthMethodOptions> | AuthMethod;

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
  if ('universalAuth' in auth) {
    const { clientId, clientSecret } = auth.universalAuth ?? {};
    requireString(clientId, 'auth.universalAuth.clientId');
    requireString(clientSecret, 'auth.universalAuth.clientSecret');
    return universalAuth({ clientId: clientId.trim(), clientSecret: clientSecret.trim() });
  }
  if ('accessToken' in auth) {
    requireString(auth.accessToken, 'auth.accessToken');
    return accessToken(auth.accessToken.trim());
  }
  if ('awsIam' in auth) return awsIamAuth(methodOptions(auth.awsIam, 'awsIam'), env);
  if ('gcpIam' in auth) return gcpIamAuth(methodOptions(auth.gcpIam, 'gcpIam'), env);
  if ('gcpIdToken' in auth)
    return gcpIdTokenAuth(methodOptions(auth.gcpIdToken, 'gcpIdToken'), env);
  if ('azure' in auth) return azureAuth(methodOptions(auth.azure, 'azure'), env);
  if ('kubernetes' in auth)
    return kubernetesAuth(methodOptions(auth.kubernetes, 'kubernetes'), env);
  if ('oidc' in auth) return oidcAuth(methodOptions(auth.oidc, 'oidc'), env);
  if ('jwt' in auth) return jwtAuth(methodOptions(auth.jwt, 'jwt'), env);
  throw invalidAuth(`unknown auth method "${keys[0]}"`);
}

/** Picks the method whose environment variables are set. */
function authFromEnv(env: EnvSource): AuthMethod {
  const clientId = envValue(env, 'INFISICAL_UNIVERSAL_AUTH_CLIENT_ID');
  const clientSecret = envValue(env, 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET');
  if (clientId && clientSecret) return universalAuth({ clientId, clientSecret });
  if (clientId || clientSecret) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `Universal Auth needs both INFISICAL_UNIVERSAL_AUTH_CLIENT_ID and INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET; only ${clientId ? 'the client id' : 'the client secret'} is set.`,
    );
  }
  const token = envValue(env, 'INFISICAL_TOKEN');
  if (token) return accessToken(token);
  for (const [name, create] of ENV_METHODS) {
    if (envValue(env, name)) return create(env);
  }
  throw new InfisicalError(
    'CREDENTIALS_UNAVAILABLE',
    'No Infisical credentials: pass the auth option, or set INFISICAL_UNIVERSAL_AUTH_CLIENT_ID and ' +
      'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, or INFISICAL_TOKEN, or the identity id of a ' +
      `machine-identity method: ${ENV_METHODS.map(([name]) => name).join(', ')}.`,
  );
}

/** Methods picked by their identity-id variable, in detection order (after Universal Auth and INFISICAL_TOKEN). */
const ENV_METHODS: ReadonlyArray<readonly [string, (env: EnvSource) => AuthMethod]> = [
  [AWS_IAM_IDENTITY_ID_ENV, (env) => awsIamAuth({}, env)],
  [GCP_IAM_IDENTITY_ID_ENV, (env) => gcpIamAuth({}, env)],
  [GCP_ID_TOKEN_IDENTITY_ID_ENV, (env) => gcpIdTokenAuth({}, env)],
  [AZURE_IDENTITY_ID_ENV, (env) => azureAuth({}, env)],
  [KUBERNETES_IDENTITY_ID_ENV, (env) => kubernetesAuth({}, env)],
  [OIDC_ENV.identityId, (env) => oidcAuth({}, env)],
  [JWT_ENV.identityId, (env) => jwtAuth({}, env)],
];

/** The options object of a machine-identity method (`{}` when every field comes from the environment). */
function methodOptions<T extends object>(value: T | undefined, key: string): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidAuth(
      `auth.${key} must be an object (its fields fall back to environment variables)`,
    );
  }
  return value;
}

function requireString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '')
    throw invalidAuth(`${name} must be a non-empty string`);
}

function invalidAuth(problem: string): InfisicalError {
  return new InfisicalError(
    'CONFIG_INVALID',
    `Invalid auth option: ${problem}. Fix: pass e.g. { universalAuth: { clientId, clientSecret } }.`,
  );
}
