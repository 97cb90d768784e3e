/**
 * The one table of login methods — option key, name in messages, and the environment variables
 * that pick it — and the registry of their implementations. Universal Auth and access tokens are
 * built in; the cloud methods register themselves from `@infisical/core/node` (or are passed as
 * `auth: awsIamAuth(...)`), so a bundle that never uses them never carries them.
 *
 * @module
 */
import type { EnvSource } from '../runtime/env.js';
import type { AuthMethod } from './auth-method.js';

/** One row of the table. */
export interface AuthMethodEntry {
  /** The key under the `auth` option, e.g. `awsIam`. */
  readonly key: string;
  /** The method's name in messages, e.g. `AWS IAM auth`. */
  readonly label: string;
  /**
   * The variables that pick this method when `auth` is not given (all must be set). Each is a
   * credential: instead of `NAME`, `NAME_FILE` may name a file holding it (Docker and Kubernetes
   * secrets), read at each login; setting both is `CONFIG_INVALID`.
   */
  readonly env: readonly string[];
}

/** Builds a method from its options (every field may fall back to `env`). */
export type AuthMethodFactory = (options: never, env: EnvSource) => AuthMethod;

/** Every login method, in the order environment detection tries them. */
export const AUTH_METHODS: readonly AuthMethodEntry[] = [
  {
    key: 'universalAuth',
    label: 'Universal Auth',
    env: ['INFISICAL_UNIVERSAL_AUTH_CLIENT_ID', 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET'],
  },
  { key: 'accessToken', label: 'an access token', env: ['INFISICAL_TOKEN'] },
  { key: 'awsIam', label: 'AWS IAM auth', env: ['INFISICAL_AWS_IAM_AUTH_IDENTITY_ID'] },
  { key: 'gcpIam', label: 'GCP IAM auth', env: ['INFISICAL_GCP_IAM_AUTH_IDENTITY_ID'] },
  { key: 'gcpIdToken', label: 'GCP ID token auth', env: ['INFISICAL_GCP_AUTH_IDENTITY_ID'] },
  { key: 'azure', label: 'Azure auth', env: ['INFISICAL_AZURE_AUTH_IDENTITY_ID'] },
  { key: 'kubernetes', label: 'Kubernetes auth', env: ['INFISICAL_KUBERNETES_IDENTITY_ID'] },
  { key: 'oidc', label: 'OIDC auth', env: ['INFISICAL_OIDC_AUTH_IDENTITY_ID'] },
  { key: 'jwt', label: 'JWT auth', env: ['INFISICAL_JWT_AUTH_IDENTITY_ID'] },
];

/** The row of `key` (a key of the table). */
export function authMethodEntry(key: string): AuthMethodEntry {
  return AUTH_METHODS.find((entry) => entry.key === key) as AuthMethodEntry;
}

/** Implementations by key, shared by every copy of the package in the realm. */
const REGISTRY: symbol = /* @__PURE__ */ Symbol.for('@infisical/core.auth-methods');

function registry(): Map<string, AuthMethodFactory> {
  const scope = globalThis as { [REGISTRY]?: Map<string, AuthMethodFactory> };
  scope[REGISTRY] ??= new Map();
  return scope[REGISTRY];
}

/**
 * Makes methods available to the `auth` option by key and to environment detection
 * (`@infisical/core/node` registers every cloud method).
 */
export function registerAuthMethods(factories: Readonly<Record<string, AuthMethodFactory>>): void {
  for (const [key, factory] of Object.entries(factories)) registry().set(key, factory);
}

/** The registered implementation of `key`, if any. */
export function registeredAuthMethod(key: string): AuthMethodFactory | undefined {
  return registry().get(key);
}
