/**
 * Kubernetes auth: a pod logs in with its service-account token, which Infisical checks with the
 * cluster's TokenReview API.
 *
 * @module
 */
import { type EnvSource, envValue } from '../runtime/env.js';
import {
  checkToken,
  type MachineLoginFactory,
  machineLogin,
  optionalString,
  readTokenFile,
} from './machine-login.js';

/** Environment variable holding the NAME of the variable that holds the token path (as the older Infisical SDKs read it). */
const KUBERNETES_TOKEN_PATH_ENV_NAME_ENV =
  'INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH_ENV_NAME';
/** Environment variable holding the token path directly (as the Infisical go-sdk reads it). */
const KUBERNETES_TOKEN_PATH_ENV = 'INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH';
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

/**
 * Logs in with Kubernetes auth (`POST /api/v1/auth/kubernetes-auth/login`, `{ identityId, jwt }`).
 *
 * @param env - where the identity id and token path variables are read. @default `process.env`
 */
export const kubernetesAuth: MachineLoginFactory<KubernetesAuthOptions> =
  /* @__PURE__ */ machineLogin<KubernetesAuthOptions>({
    key: 'kubernetes',
    name: 'kubernetes',
    path: '/api/v1/auth/kubernetes-auth/login',
    optionNames: ['identityId', 'token', 'serviceAccountTokenPath'],
    hint:
      'check that the identity id is right, that the identity has Kubernetes auth, and that its ' +
      "allowed namespaces, service account names and audience include this pod's service account.",
    prepare(opts, env) {
      const token = optionalString(opts.token, 'token', METHOD);
      if (token !== undefined)
        checkToken(token, 'The token option', 'pass the service-account token as issued');
      const path =
        optionalString(opts.serviceAccountTokenPath, 'serviceAccountTokenPath', METHOD) ??
        kubernetesTokenPath(env);
      return async () => ({
        jwt: token ?? (await readTokenFile(path, 'Kubernetes service account token')),
      });
    },
  });

/** The token path from the environment (see {@link KubernetesAuthOptions.serviceAccountTokenPath}). */
export function kubernetesTokenPath(env: EnvSource): string {
  const name = envValue(env, KUBERNETES_TOKEN_PATH_ENV_NAME_ENV);
  const viaName = name === undefined ? undefined : envValue(env, name);
  return viaName ?? envValue(env, KUBERNETES_TOKEN_PATH_ENV) ?? DEFAULT_KUBERNETES_TOKEN_PATH;
}
