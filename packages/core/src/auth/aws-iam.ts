/**
 * AWS IAM auth: signs an STS `GetCallerIdentity` request with the caller's AWS credentials, never
 * sends it, and hands it to Infisical, which sends it to STS to learn the caller's account and ARN.
 *
 * @module
 */

import { checkOptionNames } from '../config/option-names.js';
import { encodeBase64 } from '../crypto/base64.js';
import {
  type AwsMetadataEndpoints,
  awsCredentialsFromEnvironment,
  awsRegionFromEnvironment,
  checkedCredentials,
  DEFAULT_ECS_ENDPOINT,
  DEFAULT_IMDS_ENDPOINT,
  ImdsSession,
  isAwsRegion,
} from './aws/credentials.js';
import { type AwsCredentials, signSigV4 } from './aws/sigv4.js';
import {
  baseUrl,
  invalidOption,
  type MachineLoginFactory,
  machineLogin,
  optionalString,
  optionsObject,
} from './machine-login.js';

export type { AwsMetadataEndpoints } from './aws/credentials.js';
export type { AwsCredentials } from './aws/sigv4.js';

/** Options of {@link awsIamAuth}. */
export interface AwsIamAuthOptions {
  /** Id of the machine identity that has AWS IAM auth. Env: `INFISICAL_AWS_IAM_AUTH_IDENTITY_ID`. */
  identityId?: string;
  /**
   * Region of the STS endpoint the request is signed for.
   * @default env `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the EC2 instance identity document
   */
  region?: string;
  /**
   * AWS credentials to sign with.
   * @default env `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, then ECS/EKS
   * container credentials (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`, with
   * `AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)`), then the EC2 instance profile (IMDSv2)
   */
  credentials?: AwsCredentials;
  /** Base URLs of the AWS metadata services (for tests and proxies). */
  endpoints?: AwsMetadataEndpoints;
}

/** The body of `POST /api/v1/auth/aws-auth/login`. */
export interface AwsIamLoginBody {
  identityId: string;
  iamHttpRequestMethod: 'POST';
  /** Base64 of `Action=GetCallerIdentity&Version=2011-06-15`. */
  iamRequestBody: string;
  /** Base64 of the JSON of every signed header, `Authorization` included. */
  iamRequestHeaders: string;
}

const METHOD = 'AWS IAM auth';
const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

/**
 * Logs in with AWS IAM auth (`POST /api/v1/auth/aws-auth/login`). Credentials and region are
 * looked up at each login (instance and container credentials rotate); one IMDSv2 session token
 * serves both look-ups.
 *
 * @param env - where `INFISICAL_AWS_IAM_AUTH_IDENTITY_ID` and the `AWS_*` variables are read.
 * @default env `process.env` (empty on runtimes without one)
 * @throws InfisicalError `CONFIG_INVALID` for malformed or unknown options, `CREDENTIALS_UNAVAILABLE`
 * without an identity id.
 */
export const awsIamAuth: MachineLoginFactory<AwsIamAuthOptions> =
  /* @__PURE__ */ machineLogin<AwsIamAuthOptions>({
    key: 'awsIam',
    name: 'aws-iam',
    path: '/api/v1/auth/aws-auth/login',
    optionNames: ['identityId', 'region', 'credentials', 'endpoints'],
    hint:
      'check that the identity id is right, that the identity has AWS auth, and that its allowed ' +
      'account ids and principal ARNs include the AWS principal these credentials belong to.',
    prepare(opts, env) {
      const region = optionalString(opts.region, 'region', METHOD);
      if (region !== undefined && !isAwsRegion(region)) {
        throw invalidOption(
          METHOD,
          'region is not an AWS region name',
          'pass a region such as us-east-1',
        );
      }
      const credentials =
        opts.credentials === undefined
          ? undefined
          : checkedCredentials(opts.credentials, 'The credentials option');
      const endpoints = optionsObject(opts.endpoints, METHOD);
      checkOptionNames(endpoints, ['imds', 'ecs'], 'auth.awsIam.endpoints');
      const bases: Required<AwsMetadataEndpoints> = {
        imds: baseUrl(endpoints.imds, DEFAULT_IMDS_ENDPOINT, 'endpoints.imds', METHOD),
        ecs: baseUrl(endpoints.ecs, DEFAULT_ECS_ENDPOINT, 'endpoints.ecs', METHOD),
      };
      return async (context, identityId) => {
        const imds = new ImdsSession(bases.imds, context);
        const signWith =
          credentials ?? (await awsCredentialsFromEnvironment(env, bases, context, imds));
        const signRegion = region ?? (await awsRegionFromEnvironment(env, imds));
        return { ...(await awsIamLoginBody(identityId, signWith, signRegion)) };
      };
    },
  });

/**
 * Builds the AWS IAM login body as the official SDKs do: a SigV4-signed (service `sts`)
 * `POST https://sts.<region>.amazonaws.com/` with the `GetCallerIdentity` form body and the
 * headers `Content-Type`, `Host`, `Content-Length`, `x-amz-date`, `x-amz-content-sha256`,
 * `x-amz-security-token` (temporary credentials) and `Authorization`.
 */
export async function awsIamLoginBody(
  identityId: string,
  credentials: AwsCredentials,
  region: string,
  date: Date = new Date(),
): Promise<AwsIamLoginBody> {
  const host = `sts.${region}.amazonaws.com`;
  const bytes = new TextEncoder().encode(STS_BODY);
  const signed = await signSigV4(
    {
      method: 'POST',
      url: `https://${host}/`,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
        Host: host,
        'Content-Length': String(bytes.length),
      },
      body: STS_BODY,
    },
    { credentials, region, service: 'sts', date, contentSha256: true },
  );
  const { authorization, ...rest } = signed;
  const headers = { ...rest, Authorization: authorization as string };
  return {
    identityId,
    iamHttpRequestMethod: 'POST',
    iamRequestBody: encodeBase64(bytes),
    iamRequestHeaders: encodeBase64(new TextEncoder().encode(JSON.stringify(headers))),
  };
}
