/**
 * Azure auth: an Azure workload with a managed identity asks the Instance Metadata Service for an
 * access token and logs in with it.
 *
 * @module
 */
import { cloudFetchJson, stringField } from './cloud-fetch.js';
import {
  baseUrl,
  type MachineLoginFactory,
  machineLogin,
  optionalString,
} from './machine-login.js';

/** Options of {@link azureAuth}. */
export interface AzureAuthOptions {
  /** Id of the machine identity that has Azure auth. Env: `INFISICAL_AZURE_AUTH_IDENTITY_ID`. */
  identityId?: string;
  /**
   * The resource the token is for; it must match the identity's configured resource.
   * @default 'https://management.azure.com/'
   */
  resource?: string;
  /**
   * Base URL of the Azure Instance Metadata Service.
   * @default 'http://169.254.169.254'
   */
  metadataEndpoint?: string;
}

const METHOD = 'Azure auth';
const DEFAULT_RESOURCE = 'https://management.azure.com/';
const DEFAULT_METADATA = 'http://169.254.169.254';

/**
 * Logs in with Azure auth (`POST /api/v1/auth/azure-auth/login`): fetches
 * `/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…` with `Metadata: true` at
 * each login and sends its `access_token` as `jwt`.
 *
 * @param env - where `INFISICAL_AZURE_AUTH_IDENTITY_ID` is read. @default `process.env`
 */
export const azureAuth: MachineLoginFactory<AzureAuthOptions> =
  /* @__PURE__ */ machineLogin<AzureAuthOptions>({
    key: 'azure',
    name: 'azure',
    path: '/api/v1/auth/azure-auth/login',
    optionNames: ['identityId', 'resource', 'metadataEndpoint'],
    hint:
      'check that the identity id is right, that the identity has Azure auth with this tenant and ' +
      'resource, and that its allowed service principal ids include this managed identity.',
    prepare(opts) {
      const resource = optionalString(opts.resource, 'resource', METHOD) ?? DEFAULT_RESOURCE;
      const base = baseUrl(opts.metadataEndpoint, DEFAULT_METADATA, 'metadataEndpoint', METHOD);
      const call = {
        what: 'an Azure managed identity token',
        url: `${base}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(resource)}`,
        headers: { Metadata: 'true', Accept: 'application/json' },
        fix: 'run on Azure with a managed identity assigned to the workload, or use another auth method.',
        quoteError: true,
      };
      return async (context) => ({
        jwt: stringField(await cloudFetchJson(context, call), 'access_token', call),
      });
    },
  });
