/**
 * The AWS STS stand-in behind AWS IAM auth: verifies a signed `GetCallerIdentity` request (SigV4
 * signature, date, session token) against the seed's accounts and matches principal ARNs.
 *
 * @module cloud/sts
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { safeEqual } from '../auth/constant-time.js';
import { ApiError, badRequest } from '../http/api-error.js';
import type { AwsAccount, CloudState } from './cloud-state.js';

/** The only STS call the stand-in answers. */
export const GET_CALLER_IDENTITY_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

/** How far `x-amz-date` may be from now, as STS allows. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/** The AWS IAM login fields, as the client sent them. */
export interface StsLoginRequest {
  iamHttpRequestMethod: string;
  iamRequestBody: string;
  iamRequestHeaders: string;
}

/**
 * Plays STS for `GetCallerIdentity`: decodes the signed request the client built, finds the secret
 * key of its access key id, recomputes the SigV4 signature and checks date, body, host and session
 * token, as STS would. Returns the caller's principal; throws `ApiError` otherwise.
 */
export function verifyGetCallerIdentity(request: StsLoginRequest, cloud: CloudState): AwsAccount {
  let headers: Record<string, string>;
  try {
    const parsed = JSON.parse(
      Buffer.from(request.iamRequestHeaders, 'base64').toString('utf8'),
    ) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('shape');
    headers = Object.fromEntries(
      Object.entries(parsed).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  } catch {
    throw badRequest('iamRequestHeaders must be the base64 of a JSON object of headers');
  }
  const body = Buffer.from(request.iamRequestBody, 'base64').toString('utf8');
  const header = (name: string): string | undefined => {
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
    return key === undefined ? undefined : headers[key];
  };

  // The server reads the region from the Credential scope and checks it (400 "Invalid AWS region").
  const authorization = header('authorization') ?? '';
  const region = /Credential=[^/\s]+\/[^/\s]+\/([^/\s]+)\//.exec(authorization)?.[1] ?? null;
  if (region === null || !/^[a-z0-9-]{1,20}$/.test(region)) throw badRequest('Invalid AWS region');

  const match = AUTHORIZATION.exec(authorization.trim());
  if (!match)
    stsRefusal('IncompleteSignature', 'The Authorization header is not a complete SigV4 header.');
  const [, accessKeyId, scopeDate, , service, signedList, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (service !== 'sts')
    stsRefusal('SignatureDoesNotMatch', "Credential should be scoped to correct service: 'sts'.");

  const account = cloud.awsAccountByKey(accessKeyId);
  if (!account)
    stsRefusal('InvalidClientTokenId', 'The security token included in the request is invalid.');

  const amzDate = header('x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || amzDate.slice(0, 8) !== scopeDate) {
    stsRefusal(
      'IncompleteSignature',
      'x-amz-date is missing, malformed or outside the credential scope date.',
    );
  }
  if (Math.abs(Date.now() - signedAt) > MAX_SKEW_MS) {
    stsRefusal(
      'SignatureDoesNotMatch',
      `Signature expired: ${amzDate} is more than 15 minutes from the current time.`,
    );
  }

  const signed = signedList.split(';');
  if (!signed.includes('host') || !signed.includes('x-amz-date')) {
    stsRefusal('IncompleteSignature', 'The request must sign the host and x-amz-date headers.');
  }
  if (signed.some((name) => header(name) === undefined)) {
    stsRefusal(
      'IncompleteSignature',
      'A header named in SignedHeaders is missing from the request.',
    );
  }
  const token = header('x-amz-security-token');
  if (
    (account.sessionToken === undefined
      ? token !== undefined
      : token === undefined || !safeEqual(token, account.sessionToken)) ||
    (token !== undefined && !signed.includes('x-amz-security-token'))
  ) {
    stsRefusal('InvalidClientTokenId', 'The security token included in the request is invalid.');
  }
  if (header('host') !== `sts.${region}.amazonaws.com`) {
    stsRefusal(
      'SignatureDoesNotMatch',
      `The Host header must be sts.${region}.amazonaws.com for this credential scope.`,
    );
  }
  const length = header('content-length');
  if (length !== undefined && Number(length) !== Buffer.byteLength(body)) {
    stsRefusal('IncompleteSignature', 'Content-Length does not match the request body.');
  }
  if (request.iamHttpRequestMethod.toUpperCase() !== 'POST' || body !== GET_CALLER_IDENTITY_BODY) {
    stsRefusal('InvalidAction', `The STS stand-in answers only POST ${GET_CALLER_IDENTITY_BODY}.`);
  }

  const canonicalRequest = [
    request.iamHttpRequestMethod.toUpperCase(),
    '/',
    '',
    signed.map((name) => `${name}:${(header(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join(''),
    signedList,
    sha256Hex(body),
  ].join('\n');
  const scope = `${scopeDate}/${region}/sts/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = Buffer.from(`AWS4${account.secretAccessKey}`);
  for (const part of [scopeDate, region, 'sts', 'aws4_request']) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    stsRefusal(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return account;
}

/** `arn:aws:sts::<account>:assumed-role/<role>/<session>` → `arn:aws:iam::<account>:role/<role>` (as the server does). */
export function principalArn(arn: string): string {
  const match = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : arn;
}

/** Whether an ARN pattern (`*` wildcards) allows the caller's ARN. */
export function arnAllowed(pattern: string, arn: string): boolean {
  const regex = new RegExp(
    `^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`,
  );
  return regex.test(principalArn(arn)) || regex.test(arn);
}

function stsRefusal(code: string, message: string): never {
  throw new ApiError(401, 'UnauthorizedError', `AWS STS refused the request (${code}): ${message}`);
}

function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
