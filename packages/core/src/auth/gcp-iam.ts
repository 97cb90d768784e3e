/**
 * GCP IAM auth: with a service-account JSON key, get a Google OAuth access token (JWT-bearer
 * grant), have IAM Credentials `signJwt` a `{ sub, aud: identityId, exp }` payload for the service
 * account, and log in with the signed JWT, as the Infisical go-sdk does.
 *
 * @module
 */
import { checkOptionNames } from '../config/option-names.js';
import { InfisicalError } from '../errors/infisical-error.js';
import { envValue, readTextFile } from '../runtime/env.js';
import type { AuthContext } from './auth-method.js';
import { type CloudCall, cloudFetchJson, stringField } from './cloud-fetch.js';
import {
  type GcpServiceAccountKey,
  importRsaPrivateKey,
  parseServiceAccountKey,
  type ServiceAccountKeyParts,
  signRs256Jwt,
} from './gcp/service-account-key.js';
import {
  baseUrl,
  checkToken,
  invalidOption,
  type MachineLoginFactory,
  machineLogin,
  optionalString,
  optionsObject,
} from './machine-login.js';

export type { GcpServiceAccountKey } from './gcp/service-account-key.js';

/** Environment variable of the path of the service-account JSON key file. */
const GCP_IAM_KEY_FILE_ENV = 'INFISICAL_GCP_IAM_SERVICE_ACCOUNT_KEY_FILE_PATH';

/** Base URLs of the Google endpoints GCP IAM auth calls (for tests and proxies). */
export interface GcpIamEndpoints {
  /**
   * The OAuth 2.0 token endpoint (full URL); also the audience of the JWT-bearer assertion.
   * @default 'https://oauth2.googleapis.com/token'
   */
  oauthToken?: string;
  /**
   * Base URL of the IAM Service Account Credentials API.
   * @default 'https://iamcredentials.googleapis.com'
   */
  iamCredentials?: string;
}

/** Options of {@link gcpIamAuth}. */
export interface GcpIamAuthOptions {
  /** Id of the machine identity that has GCP auth (type IAM). Env: `INFISICAL_GCP_IAM_AUTH_IDENTITY_ID`. */
  identityId?: string;
  /** The service-account JSON key, as text or parsed. Takes precedence over the file. */
  serviceAccountKey?: string | GcpServiceAccountKey;
  /**
   * Path of the service-account JSON key file, read at each login.
   * Env: `INFISICAL_GCP_IAM_SERVICE_ACCOUNT_KEY_FILE_PATH`.
   */
  serviceAccountKeyFilePath?: string;
  /** Google endpoints. */
  endpoints?: GcpIamEndpoints;
}

const METHOD = 'GCP IAM auth';
const DEFAULT_OAUTH_TOKEN = 'https://oauth2.googleapis.com/token';
const DEFAULT_IAM_CREDENTIALS = 'https://iamcredentials.googleapis.com';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** Lifetime of the signed login JWT, in seconds. */
const LOGIN_JWT_SECONDS = 900;

/**
 * Logs in with GCP IAM auth (`POST /api/v1/auth/gcp-auth/login`). The key is read at each login
 * (a key file can be replaced); the service account needs permission to sign JWTs as itself
 * (`iam.serviceAccounts.signJwt`, e.g. the Service Account Token Creator role).
 *
 * @param env - where `INFISICAL_GCP_IAM_AUTH_IDENTITY_ID` and
 * `INFISICAL_GCP_IAM_SERVICE_ACCOUNT_KEY_FILE_PATH` are read. @default `process.env`
 * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` without an identity id or a key, or for a
 * malformed key option; `CONFIG_INVALID` for malformed options.
 */
export const gcpIamAuth: MachineLoginFactory<GcpIamAuthOptions> =
  /* @__PURE__ */ machineLogin<GcpIamAuthOptions>({
    key: 'gcpIam',
    name: 'gcp-iam',
    path: '/api/v1/auth/gcp-auth/login',
    optionNames: ['identityId', 'serviceAccountKey', 'serviceAccountKeyFilePath', 'endpoints'],
    hint:
      'check that the identity id is right, that the identity has GCP auth of type "IAM", and that ' +
      "its allowed service accounts include the key's client_email.",
    prepare(opts, env) {
      const given = opts.serviceAccountKey;
      if (
        given !== undefined &&
        typeof given !== 'string' &&
        (typeof given !== 'object' || given === null)
      ) {
        throw invalidOption(
          METHOD,
          'serviceAccountKey must be the JSON key as text or an object',
          'pass the key file content',
        );
      }
      const parsedKey =
        given === undefined
          ? undefined
          : parseServiceAccountKey(given, 'the serviceAccountKey option');
      const keyFile =
        optionalString(opts.serviceAccountKeyFilePath, 'serviceAccountKeyFilePath', METHOD) ??
        envValue(env, GCP_IAM_KEY_FILE_ENV);
      if (parsedKey === undefined && keyFile === undefined) {
        throw new InfisicalError(
          'CREDENTIALS_UNAVAILABLE',
          `${METHOD} needs a service account key. Fix: pass serviceAccountKey or serviceAccountKeyFilePath, or set ${GCP_IAM_KEY_FILE_ENV}.`,
        );
      }
      const endpoints = optionsObject(opts.endpoints, METHOD);
      checkOptionNames(endpoints, ['oauthToken', 'iamCredentials'], 'auth.gcpIam.endpoints');
      const tokenUrl = baseUrl(
        endpoints.oauthToken,
        DEFAULT_OAUTH_TOKEN,
        'endpoints.oauthToken',
        METHOD,
      );
      const iamBase = baseUrl(
        endpoints.iamCredentials,
        DEFAULT_IAM_CREDENTIALS,
        'endpoints.iamCredentials',
        METHOD,
      );
      return async (context, identityId) => {
        const key =
          parsedKey ??
          parseServiceAccountKey(
            await readTextFile(keyFile as string, 'GCP service account key'),
            `the key file at ${keyFile}`,
          );
        const accessToken = await oauthAccessToken(context, key, tokenUrl);
        return { jwt: await signLoginJwt(context, key, accessToken, iamBase, identityId) };
      };
    },
  });

/** A Google OAuth access token for the service account, by the JWT-bearer grant (RFC 7523). */
async function oauthAccessToken(
  context: AuthContext,
  key: ServiceAccountKeyParts,
  tokenUrl: string,
): Promise<string> {
  const source = `the key of ${key.clientEmail}`;
  const privateKey = await importRsaPrivateKey(key.privateKeyPem, source);
  const now = Math.floor(Date.now() / 1000);
  const assertion = await signRs256Jwt(
    key.privateKeyId === undefined ? {} : { kid: key.privateKeyId },
    { iss: key.clientEmail, scope: SCOPE, aud: tokenUrl, iat: now, exp: now + 3600 },
    privateKey,
  );
  const call: CloudCall = {
    what: `a Google OAuth access token for ${key.clientEmail}`,
    url: tokenUrl,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: `grant_type=${encodeURIComponent(JWT_BEARER)}&assertion=${assertion}`,
    fix: 'check that the service account key is current (not deleted or disabled) and that endpoints.oauthToken is right.',
    quoteError: true,
  };
  return stringField(await cloudFetchJson(context, call), 'access_token', call);
}

/** `signJwt` of IAM Credentials: `{ sub: client_email, aud: identityId, exp }`, signed by Google for the service account. */
async function signLoginJwt(
  context: AuthContext,
  key: ServiceAccountKeyParts,
  accessToken: string,
  iamBase: string,
  identityId: string,
): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + LOGIN_JWT_SECONDS;
  const payload = JSON.stringify({ sub: key.clientEmail, aud: identityId, exp });
  const call: CloudCall = {
    what: `a signed JWT for ${key.clientEmail} from IAM Credentials signJwt`,
    url: `${iamBase}/v1/projects/-/serviceAccounts/${encodeURIComponent(key.clientEmail)}:signJwt`,
    method: 'POST',
    headers: {
      Authorization: `Bearer ${accessToken}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: JSON.stringify({ payload }),
    fix: 'give the service account permission to sign JWTs as itself (roles/iam.serviceAccountTokenCreator) and enable the IAM Service Account Credentials API.',
    quoteError: true,
  };
  const signed = stringField(await cloudFetchJson(context, call), 'signedJwt', call);
  checkToken(signed, 'The signJwt answer', 'check endpoints.iamCredentials');
  return signed;
}
