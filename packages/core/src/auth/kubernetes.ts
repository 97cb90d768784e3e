/**
 * Kubernetes auth: a pod logs in with its service-account token, which Infisical checks with the
 * cluster's TokenReview API.
 *
 * @module
 */
import { type EnvSource, envValue, processEnv } from '../runtime/env.js';
import {
  type AccessTokenGrant,
  type AuthContext,
  type AuthMethod,
  identityLogin,
} from './auth-method.js';
import {
  checkToken,
  identityIdFrom,
  optionalString,
  optionsObject,
  readTokenFile,
} from './machine-login.js';

/** Environment variable of the Kubernetes auth identity id. */
export const KUBERNETES_IDENTITY_ID_ENV = 'INFISICAL_KUBERNETES_IDENTITY_ID';
/** Environment variable holding the NAME of the variable that holds the token path (as the older Infisical SDKs read it). */
export const KUBERNETES_TOKEN_PATH_ENV_NAME_ENV =
  'INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH_ENV_NAME';
/** Environment variable holding the token path directly (as the Infisical go-sdk reads it). */
export const KUBERNETES_TOKEN_PATH_ENV = 'INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH';
/** Where Kubernetes mounts the pod's service-account token. */
export const DEFAULT_KUBERNETES_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Options of {@link kubernetesAuth}. */
export interface KubernetesAuthOptions {
  /** Id of the machine identity that has Kubernetes auth. Env: `INFISICAL_KUBERNETES_IDENTITY_ID`. */
  identityId?: string;
  /** The service-account token itself; without it the token file is read at each login. */
  token?: string;
  /**
   * Path of the service-account token file, read at each login (projected tokens rotate).
   * @default the path in the variable named by `INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH_ENV_NAME`,
   * else `INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH`, else
   * `/var/run/secrets/kubernetes.io/serviceaccount/token`
   */
  serviceAccountTokenPath?: string;
}

const METHOD = 'Kubernetes auth';
const HINT =
  'check that the identity id is right, that the identity has Kubernetes auth, and that its ' +
  "allowed namespaces, service account names and audience include this pod's service account.";

/**
 * Logs in with Kubernetes auth (`POST /api/v1/auth/kubernetes-auth/login`, `{ identityId, jwt }`).
 *
 * @param env - where the identity id and token path variables are read. @default `process.env`
 */
export function kubernetesAuth(
  options: KubernetesAuthOptions = {},
  env: EnvSource = processEnv(),
): AuthMethod {
  const opts = optionsObject(options, METHOD);
  const identityId = identityIdFrom(opts.identityId, env, KUBERNETES_IDENTITY_ID_ENV, METHOD);
  const token = optionalString(opts.token, 'token', METHOD);
  if (token !== undefined)
    checkToken(token, 'The token option', 'pass the service-account token as issued');
  const path =
    optionalString(opts.serviceAccountTokenPath, 'serviceAccountTokenPath', METHOD) ??
    kubernetesTokenPath(env);
  return {
    name: 'kubernetes',
    renewable: true,
    async login(context: AuthContext): Promise<AccessTokenGrant> {
      const jwt = token ?? (await readTokenFile(path, 'Kubernetes service account token'));
      return identityLogin(
        context,
        METHOD,
        '/api/v1/auth/kubernetes-auth/login',
        { identityId, jwt },
        HINT,
      );
    },
  };
}

/** The token path from the environment (see {@link KubernetesAuthOptions.serviceAccountTokenPath}). */
export function kubernetesTokenPath(env: EnvSource): string {
  const name = envValue(env, KUBERNETES_TOKEN_PATH_ENV_NAME_ENV);
  const viaName = name === undefined ? undefined : envValue(env, name);
  return viaName ?? envValue(env, KUBERNETES_TOKEN_PATH_ENV) ?? DEFAULT_KUBERNETES_TOKEN_PATH;
}
