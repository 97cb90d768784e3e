/**
 * Where AWS IAM auth finds credentials and the region when the options do not give them:
 * environment variables, ECS/EKS container credentials, and the EC2 instance metadata service
 * (IMDSv2). A small, dependency-free subset of the AWS SDK's default provider chain.
 *
 * @module
 */
import { InfisicalError, isInfisicalError } from '../../errors/infisical-error.js';
import { type EnvSource, envValue, readTextFile } from '../../runtime/env.js';
import type { AuthContext } from '../auth-method.js';
import { cloudFetch, cloudFetchJson, endpointOf, stringField } from '../cloud-fetch.js';
import type { AwsCredentials } from './sigv4.js';

/** Base URLs of the AWS metadata services; change them to test against a stand-in. */
export interface AwsMetadataEndpoints {
  /**
   * The EC2 instance metadata service (IMDSv2).
   * @default 'http://169.254.169.254'
   */
  imds?: string;
  /**
   * The ECS container credentials host that `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is appended to.
   * @default 'http://169.254.170.2'
   */
  ecs?: string;
}

/** Default base URL of the EC2 instance metadata service. */
export const DEFAULT_IMDS_ENDPOINT = 'http://169.254.169.254';
/** Default base URL of the ECS container credentials service. */
export const DEFAULT_ECS_ENDPOINT = 'http://169.254.170.2';

/** Hosts an `http:` `AWS_CONTAINER_CREDENTIALS_FULL_URI` may name (as the AWS SDKs allow). */
const PLAIN_HTTP_HOSTS = new Set([
  '169.254.170.2',
  '169.254.170.23',
  '[fd00:ec2::23]',
  'localhost',
  '[::1]',
]);

const REGION = /^[a-z0-9-]{1,20}$/;
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/**
 * One IMDSv2 session: the session token is fetched once (lazily) and shared by the credential and
 * region look-ups of a login.
 */
export class ImdsSession {
  readonly #base: string;
  readonly #context: AuthContext;
  #token: Promise<string> | undefined;

  constructor(base: string, context: AuthContext) {
    this.#base = base;
    this.#context = context;
  }

  /** The full URL of a metadata path. */
  url(path: string): string {
    return this.#base + path;
  }

  /** GETs a metadata path (e.g. `/latest/meta-data/iam/security-credentials/`) as text. */
  async get(path: string, what: string, accept?: string): Promise<string> {
    const token = await this.#sessionToken();
    const headers: Record<string, string> = { 'X-aws-ec2-metadata-token': token };
    if (accept) headers.Accept = accept;
    return cloudFetch(this.#context, { what, url: this.url(path), headers, fix: IMDS_FIX });
  }

  #sessionToken(): Promise<string> {
    this.#token ??= cloudFetch(this.#context, {
      what: 'an EC2 instance metadata (IMDSv2) session token',
      url: `${this.#base}/latest/api/token`,
      method: 'PUT',
      headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' },
      fix: IMDS_FIX,
    }).then((text) => {
      const token = text.trim();
      if (!HEADER_SAFE.test(token)) {
        throw new InfisicalError(
          'CREDENTIALS_UNAVAILABLE',
          `The EC2 instance metadata service at ${this.#base} answered an unusable session token. Fix: ${IMDS_FIX}`,
        );
      }
      return token;
    });
    return this.#token;
  }
}

const IMDS_FIX =
  'run on EC2 with an instance profile and IMDSv2 reachable (hop limit 2 inside containers), ' +
  'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass the credentials option.';

/**
 * Credentials from, in order: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`),
 * ECS/EKS container credentials (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`), then
 * the EC2 instance profile through IMDSv2.
 *
 * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` naming the source that failed.
 */
export async function awsCredentialsFromEnvironment(
  env: EnvSource,
  endpoints: Required<AwsMetadataEndpoints>,
  context: AuthContext,
  imds: ImdsSession,
): Promise<AwsCredentials> {
  const accessKeyId = envValue(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = envValue(env, 'AWS_SECRET_ACCESS_KEY');
  if (accessKeyId || secretAccessKey) {
    if (!accessKeyId || !secretAccessKey) {
      throw new InfisicalError(
        'CREDENTIALS_UNAVAILABLE',
        `${accessKeyId ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'} is set but ${accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is not. Fix: set both, or neither to use the instance or container role.`,
      );
    }
    return checkedCredentials(
      { accessKeyId, secretAccessKey, sessionToken: envValue(env, 'AWS_SESSION_TOKEN') },
      'The AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN variables',
    );
  }
  const relative = envValue(env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI');
  const full = envValue(env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI');
  if (relative || full) return containerCredentials(env, endpoints.ecs, relative, full, context);
  try {
    return await instanceProfileCredentials(imds);
  } catch (error) {
    if (!isInfisicalError(error) || error.code !== 'CREDENTIALS_UNAVAILABLE') throw error;
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      'No AWS credentials: no credentials option, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY unset, ' +
        `no container credentials (AWS_CONTAINER_CREDENTIALS_*_URI), and the instance profile failed: ${error.message}`,
      { cause: error, details: error.details },
    );
  }
}

/**
 * The region: `AWS_REGION`, `AWS_DEFAULT_REGION`, else the `region` of the EC2 instance identity
 * document (IMDSv2).
 */
export async function awsRegionFromEnvironment(env: EnvSource, imds: ImdsSession): Promise<string> {
  const fromEnv = envValue(env, 'AWS_REGION') ?? envValue(env, 'AWS_DEFAULT_REGION');
  if (fromEnv !== undefined) {
    if (!REGION.test(fromEnv)) {
      throw new InfisicalError(
        'CONFIG_INVALID',
        'AWS_REGION / AWS_DEFAULT_REGION is not an AWS region name. Fix: set it to a region such as us-east-1.',
      );
    }
    return fromEnv;
  }
  const what = 'the AWS region (EC2 instance identity document)';
  const text = await imds.get(
    '/latest/dynamic/instance-identity/document',
    what,
    'application/json',
  );
  let region: unknown;
  try {
    region = (JSON.parse(text) as { region?: unknown }).region;
  } catch {
    region = undefined;
  }
  if (typeof region !== 'string' || !REGION.test(region)) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      'The EC2 instance identity document holds no valid region. Fix: set AWS_REGION or pass the region option.',
    );
  }
  return region;
}

/** Whether a string is a plausible AWS region name (the server's own check). */
export function isAwsRegion(region: string): boolean {
  return REGION.test(region);
}

/**
 * Checks credentials before they go into a signature and a header.
 *
 * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` (never quoting a value).
 */
export function checkedCredentials(credentials: AwsCredentials, source: string): AwsCredentials {
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  const ok =
    typeof accessKeyId === 'string' &&
    HEADER_SAFE.test(accessKeyId) &&
    typeof secretAccessKey === 'string' &&
    secretAccessKey !== '' &&
    (sessionToken === undefined ||
      (typeof sessionToken === 'string' && HEADER_SAFE.test(sessionToken)));
  if (!ok) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `${source} do not hold usable AWS credentials (an access key id, a secret access key and an optional session token, without spaces). Fix: check their values.`,
    );
  }
  return sessionToken === undefined
    ? { accessKeyId, secretAccessKey }
    : { accessKeyId, secretAccessKey, sessionToken };
}

async function containerCredentials(
  env: EnvSource,
  ecsBase: string,
  relative: string | undefined,
  full: string | undefined,
  context: AuthContext,
): Promise<AwsCredentials> {
  const url = relative
    ? ecsBase + (relative.startsWith('/') ? relative : `/${relative}`)
    : checkFullUri(full as string);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const tokenFile = envValue(env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');
  const token = tokenFile
    ? await readTextFile(tokenFile, 'AWS container authorization token')
    : envValue(env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN');
  if (token !== undefined) {
    if (!/^[\x20-\x7e]+$/.test(token)) {
      throw new InfisicalError(
        'CREDENTIALS_UNAVAILABLE',
        'The AWS container authorization token holds line breaks or non-ASCII characters. Fix: check AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE).',
      );
    }
    headers.Authorization = token;
  }
  const call = {
    what: 'AWS container credentials',
    url,
    headers,
    fix: 'check AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE), and that the task or pod has a role.',
  };
  const answer = await cloudFetchJson(context, call);
  return checkedCredentials(
    {
      accessKeyId: stringField(answer, 'AccessKeyId', call),
      secretAccessKey: stringField(answer, 'SecretAccessKey', call),
      sessionToken: typeof answer.Token === 'string' ? answer.Token : undefined,
    },
    `The container credentials from ${endpointOf(url)}`,
  );
}

/** The full URI, if it is https or http to a loopback or AWS link-local host (as the AWS SDKs require). */
function checkFullUri(full: string): string {
  let url: URL | undefined;
  try {
    url = new URL(full);
  } catch {
    url = undefined;
  }
  const host = url?.hostname ?? '';
  const allowed =
    url !== undefined &&
    (url.protocol === 'https:' ||
      (url.protocol === 'http:' &&
        (PLAIN_HTTP_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host))));
  if (!allowed) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI must be an https URL, or http to a loopback address or the ECS/EKS link-local host. Fix: check the variable.',
    );
  }
  return full;
}

async function instanceProfileCredentials(imds: ImdsSession): Promise<AwsCredentials> {
  const base = '/latest/meta-data/iam/security-credentials/';
  const roles = await imds.get(base, 'the EC2 instance profile role name');
  const role = roles
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
  if (role === undefined) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      'The EC2 instance has no IAM role (the instance metadata lists none). Fix: attach an instance profile to the instance.',
    );
  }
  const what = 'the EC2 instance profile credentials';
  const text = await imds.get(base + encodeURIComponent(role), what, 'application/json');
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    answer = {};
  }
  const call = { what, url: imds.url(base), fix: IMDS_FIX };
  if (answer.Code !== undefined && answer.Code !== 'Success') {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `The EC2 instance metadata service could not give the role's credentials (Code ${String(answer.Code).slice(0, 40)}). Fix: check the instance profile's role.`,
    );
  }
  return checkedCredentials(
    {
      accessKeyId: stringField(answer, 'AccessKeyId', call),
      secretAccessKey: stringField(answer, 'SecretAccessKey', call),
      sessionToken: typeof answer.Token === 'string' ? answer.Token : undefined,
    },
    'The EC2 instance profile credentials',
  );
}
