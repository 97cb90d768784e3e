/**
 * GCP ID token auth: a Compute Engine (or GKE, Cloud Run, Cloud Functions) workload asks its
 * metadata server for an ID token whose audience is the identity id, and logs in with it.
 *
 * @module
 */
import { type EnvSource, processEnv } from '../runtime/env.js';
import {
  type AccessTokenGrant,
  type AuthContext,
  type AuthMethod,
  identityLogin,
} from './auth-method.js';
import { cloudFetch } from './cloud-fetch.js';
import { baseUrl, checkToken, identityIdFrom, optionsObject } from './machine-login.js';

/** Environment variable of the GCP ID token auth identity id. */
export const GCP_ID_TOKEN_IDENTITY_ID_ENV = 'INFISICAL_GCP_AUTH_IDENTITY_ID';

/** Default base URL of the GCP metadata server. */
export const DEFAULT_GCP_METADATA_ENDPOINT = 'http://metadata.google.internal';

/** Options of {@link gcpIdTokenAuth}. */
export interface GcpIdTokenAuthOptions {
  /** Id of the machine identity that has GCP auth (type ID token). Env: `INFISICAL_GCP_AUTH_IDENTITY_ID`. */
  identityId?: string;
  /**
   * Base URL of the GCP metadata server.
   * @default 'http://metadata.google.internal'
   */
  metadataEndpoint?: string;
}

const METHOD = 'GCP ID token auth';
const HINT =
  'check that the identity id is right, that the identity has GCP auth of type "GCP ID Token", ' +
  'and that its allowed service accounts, projects and zones include this workload.';

/**
 * Logs in with GCP ID token auth (`POST /api/v1/auth/gcp-auth/login`): fetches
 * `/computeMetadata/v1/instance/service-accounts/default/identity?audience=<identityId>&format=full`
 * with `Metadata-Flavor: Google` at each login and sends the token as `jwt`.
 *
 * @param env - where `INFISICAL_GCP_AUTH_IDENTITY_ID` is read. @default `process.env`
 */
export function gcpIdTokenAuth(
  options: GcpIdTokenAuthOptions = {},
  env: EnvSource = processEnv(),
): AuthMethod {
  const opts = optionsObject(options, METHOD);
  const identityId = identityIdFrom(opts.identityId, env, GCP_ID_TOKEN_IDENTITY_ID_ENV, METHOD);
  const base = baseUrl(
    opts.metadataEndpoint,
    DEFAULT_GCP_METADATA_ENDPOINT,
    'metadataEndpoint',
    METHOD,
  );
  const url =
    `${base}/computeMetadata/v1/instance/service-accounts/default/identity` +
    `?audience=${encodeURIComponent(identityId)}&format=full`;
  return {
    name: 'gcp-id-token',
    renewable: true,
    async login(context: AuthContext): Promise<AccessTokenGrant> {
      const token = (
        await cloudFetch(context, {
          what: 'a GCP ID token',
          url,
          headers: { 'Metadata-Flavor': 'Google' },
          fix: 'run on GCP with a service account attached to the workload, or use another auth method.',
        })
      ).trim();
      checkToken(token, 'The GCP metadata server answer', 'check metadataEndpoint');
      return identityLogin(
        context,
        METHOD,
        '/api/v1/auth/gcp-auth/login',
        { identityId, jwt: token },
        HINT,
      );
    },
  };
}
