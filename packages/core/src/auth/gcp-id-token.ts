/**
 * GCP ID token auth: a Compute Engine (or GKE, Cloud Run, Cloud Functions) workload asks its
 * metadata server for an ID token whose audience is the identity id, and logs in with it.
 *
 * @module
 */
import { cloudFetch } from './cloud-fetch.js';
import { baseUrl, checkToken, type MachineLoginFactory, machineLogin } from './machine-login.js';

/** Default base URL of the GCP metadata server. */
const DEFAULT_GCP_METADATA_ENDPOINT = 'http://metadata.google.internal';

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

/**
 * Logs in with GCP ID token auth (`POST /api/v1/auth/gcp-auth/login`): fetches
 * `/computeMetadata/v1/instance/service-accounts/default/identity?audience=<identityId>&format=full`
 * with `Metadata-Flavor: Google` at each login and sends the token as `jwt`.
 *
 * @param env - where `INFISICAL_GCP_AUTH_IDENTITY_ID` is read. @default `process.env`
 */
export const gcpIdTokenAuth: MachineLoginFactory<GcpIdTokenAuthOptions> =
  /* @__PURE__ */ machineLogin<GcpIdTokenAuthOptions>({
    key: 'gcpIdToken',
    name: 'gcp-id-token',
    path: '/api/v1/auth/gcp-auth/login',
    optionNames: ['identityId', 'metadataEndpoint'],
    hint:
      'check that the identity id is right, that the identity has GCP auth of type "GCP ID Token", ' +
      'and that its allowed service accounts, projects and zones include this workload.',
    prepare(opts) {
      const base = baseUrl(
        opts.metadataEndpoint,
        DEFAULT_GCP_METADATA_ENDPOINT,
        'metadataEndpoint',
        METHOD,
      );
      return async (context, identityId) => {
        const url =
          `${base}/computeMetadata/v1/instance/service-accounts/default/identity` +
          `?audience=${encodeURIComponent(identityId)}&format=full`;
        const token = (
          await cloudFetch(context, {
            what: 'a GCP ID token',
            url,
            headers: { 'Metadata-Flavor': 'Google' },
            fix: 'run on GCP with a service account attached to the workload, or use another auth method.',
          })
        ).trim();
        checkToken(token, 'The GCP metadata server answer', 'check metadataEndpoint');
        return { jwt: token };
      };
    },
  });
