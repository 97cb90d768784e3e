import { createHash, createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { SeedInput } from '../src/index.ts';
import { PROJECT_ID, testSeed } from './helpers.ts';

/** AWS principals of the cloud seed (every value fake). */
export const AWS = {
  ci: {
    accountId: '111122223333',
    arn: 'arn:aws:iam::111122223333:user/ci',
    accessKeyId: 'AKIAEMULATORCI000001',
    secretAccessKey: 'fake-ci-secret-access-key-0001',
  },
  web: {
    accountId: '111122223333',
    arn: 'arn:aws:sts::111122223333:assumed-role/web-role/i-0emulator',
    accessKeyId: 'ASIAEMULATORWEB00001',
    secretAccessKey: 'fake-web-secret-access-key-0002',
    sessionToken: 'fake-web-session-token-0002',
    imdsRole: 'web-role',
  },
  task: {
    accountId: '444455556666',
    arn: 'arn:aws:sts::444455556666:assumed-role/task-role/ecs-task',
    accessKeyId: 'ASIAEMULATORTASK0001',
    secretAccessKey: 'fake-task-secret-access-key-0003',
    sessionToken: 'fake-task-session-token-0003',
    ecs: true,
  },
  outsider: {
    accountId: '999988887777',
    arn: 'arn:aws:iam::999988887777:user/outsider',
    accessKeyId: 'AKIAEMULATOROUT00001',
    secretAccessKey: 'fake-outsider-secret-key-0004',
  },
} as const;

export const REGION = 'eu-west-1';
export const ECS_TOKEN = 'fake-ecs-authorization-token';
export const GCP_SA = 'app@emulator-proj.iam.gserviceaccount.com';
export const GCP_OTHER_SA = 'other@emulator-proj.iam.gserviceaccount.com';
export const AZURE_PRINCIPAL = '0f5c0a9e-1111-4c2b-9a51-00000000a2e1';
export const AZURE_TENANT = '7d3b9f10-2222-4e8a-8c1d-00000000e7a1';

const admin = { 'sdk-test-project': 'admin' } as const;

/** The shared test seed plus one identity per cloud login method and the cloud stand-ins. */
export const cloudSeed: SeedInput = {
  projects: testSeed.projects,
  identities: [
    ...(testSeed.identities ?? []),
    {
      name: 'aws-app',
      awsAuth: { allowedAccountIds: ['111122223333', '444455556666'] },
      projects: admin,
    },
    {
      name: 'aws-role',
      awsAuth: {
        allowedPrincipalArns: ['arn:aws:iam::111122223333:role/web-*'],
        accessTokenTTL: 60,
      },
      projects: admin,
    },
    {
      name: 'gce-app',
      gcpAuth: { type: 'gce', allowedServiceAccounts: [GCP_SA] },
      projects: admin,
    },
    {
      name: 'gcp-iam-app',
      gcpAuth: { type: 'iam', allowedServiceAccounts: [GCP_SA] },
      projects: admin,
    },
    { name: 'azure-app', azureAuth: { allowedPrincipalIds: [AZURE_PRINCIPAL] }, projects: admin },
    { name: 'azure-other', azureAuth: { allowedPrincipalIds: ['someone-else'] }, projects: admin },
    {
      name: 'k8s-app',
      kubernetesAuth: { allowedNamespaces: ['apps'], allowedServiceAccounts: ['web'] },
      projects: admin,
    },
    {
      name: 'k8s-aud',
      kubernetesAuth: { allowedAudience: 'infisical' },
      projects: admin,
    },
    {
      name: 'oidc-app',
      oidcAuth: {
        boundAudiences: ['infisical'],
        boundSubject: 'repo:acme/*',
        boundIssuer: 'https://token.example.test',
      },
      projects: admin,
    },
    {
      name: 'jwt-app',
      jwtAuth: {
        boundAudiences: ['infisical'],
        boundSubject: 'ci-job',
        boundClaims: { env: 'prod, staging' },
      },
      projects: admin,
    },
  ],
  cloud: {
    aws: {
      region: REGION,
      accounts: [AWS.ci, AWS.web, AWS.task, AWS.outsider],
      ecsAuthorizationToken: ECS_TOKEN,
    },
    gcp: {
      projectId: 'emulator-proj',
      serviceAccounts: [{ email: GCP_SA }, { email: GCP_OTHER_SA }],
    },
    azure: { principalId: AZURE_PRINCIPAL, tenantId: AZURE_TENANT },
    kubernetes: {
      serviceAccounts: [
        { namespace: 'apps', name: 'web' },
        { namespace: 'apps', name: 'batch' },
        { namespace: 'other', name: 'web' },
      ],
    },
  },
};

export { PROJECT_ID };

/** An independent SigV4 signer for the STS request (node:crypto), so the tests check the emulator against a second implementation. */
export function signedStsLogin(
  identityId: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  options: {
    region?: string;
    date?: Date;
    tamper?: (headers: Record<string, string>) => void;
    body?: string;
  } = {},
) {
  const region = options.region ?? REGION;
  const body = options.body ?? 'Action=GetCallerIdentity&Version=2011-06-15';
  const amzDate = (options.date ?? new Date())
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
    Host: `sts.${region}.amazonaws.com`,
    'Content-Length': String(Buffer.byteLength(body)),
    'x-amz-date': amzDate,
  };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const lookup = (name: string) =>
    headers[Object.keys(headers).find((key) => key.toLowerCase() === name) as string] as string;
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const canonical = [
    'POST',
    '/',
    '',
    names.map((n) => `${n}:${lookup(n)}\n`).join(''),
    names.join(';'),
    sha(body),
  ].join('\n');
  const scope = `${amzDate.slice(0, 8)}/${region}/sts/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha(canonical)].join('\n');
  let key: Buffer = Buffer.from(`AWS4${credentials.secretAccessKey}`);
  for (const part of [amzDate.slice(0, 8), region, 'sts', 'aws4_request']) {
    key = createHmac('sha256', key).update(part).digest();
  }
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  headers.Authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  options.tamper?.(headers);
  return {
    identityId,
    iamHttpRequestMethod: 'POST',
    iamRequestBody: Buffer.from(body).toString('base64'),
    iamRequestHeaders: Buffer.from(JSON.stringify(headers)).toString('base64'),
  };
}

/** Signs an RS256 JWT with any key (to forge tokens or sign OAuth assertions). */
export function rs256(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: KeyObject | string,
): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${b64({ alg: 'RS256', typ: 'JWT', ...header })}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** The header and claims of a JWT. */
export function parts(token: string): {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
} {
  const [head, body] = token.split('.') as [string, string];
  return {
    header: JSON.parse(Buffer.from(head, 'base64url').toString()),
    claims: JSON.parse(Buffer.from(body, 'base64url').toString()),
  };
}

let strangerKey: KeyObject | undefined;

/** The same token (header and claims, changed by `edit`) signed with a key the emulator never saw. */
export function forge(
  token: string,
  edit: (claims: Record<string, unknown>) => void = () => {},
): string {
  strangerKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const { header, claims } = parts(token);
  edit(claims);
  return rs256(header, claims, strangerKey);
}
