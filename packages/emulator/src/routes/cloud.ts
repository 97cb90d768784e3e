/**
 * The cloud metadata and token services the machine-identity logins call (AWS IMDSv2 and ECS,
 * GCP metadata, Google OAuth and IAM Credentials, Azure IMDS), answering in each cloud's format.
 *
 * @module routes/cloud
 */
import { safeEqual } from '../auth/constant-time.js';
import type { AwsAccount } from '../cloud/cloud-state.js';
import { decodeJwt } from '../cloud/rs256.js';
import type { RouteContext, RouteResult, Router } from '../http/router.js';
import type { GetServices } from './context.js';

/** Where the cloud stand-ins live, under the API router (counted, logged, open to faults). */
export const CLOUD_PATHS = {
  awsImds: '/_cloud/aws/imds',
  awsEcs: '/_cloud/aws/ecs',
  gcpMetadata: '/_cloud/gcp',
  gcpOAuthToken: '/_cloud/gcp/oauth2/token',
  gcpIamCredentials: '/_cloud/gcp/iamcredentials',
  azureImds: '/_cloud/azure',
} as const;

const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TWELVE_HOURS = 12 * 3600;

const param = (ctx: RouteContext, name: string): string | undefined => {
  const value = ctx.query[name];
  return Array.isArray(value) ? value[0] : value;
};
const header = (ctx: RouteContext, name: string): string | undefined => {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
};
const text = (status: number, body: string): RouteResult => ({ status, text: body });
const json = (status: number, body: unknown): RouteResult => ({ status, body });
/** Google's OAuth error body. */
const oauthError = (error: string, description: string): RouteResult =>
  json(400, { error, error_description: description });
/** Google API error body. */
const googleError = (code: number, status: string, message: string): RouteResult =>
  json(code, { error: { code, message, status } });

/**
 * The cloud metadata and token services the machine-identity login methods call: AWS IMDSv2 and
 * ECS container credentials, the GCP metadata identity endpoint, Google OAuth and IAM Credentials
 * `signJwt`, and the Azure IMDS token endpoint. They answer in each cloud's own format.
 */
export function registerCloudRoutes(router: Router, services: GetServices): void {
  registerAws(router, services);
  registerGcp(router, services);
  registerAzure(router, services);
}

function registerAws(router: Router, services: GetServices): void {
  const imds = CLOUD_PATHS.awsImds;
  router.add('PUT', `${imds}/latest/api/token`, (ctx) => {
    const ttl = Number(header(ctx, 'x-aws-ec2-metadata-token-ttl-seconds'));
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return text(400, 'Bad Request');
    const token = services().cloud.issueImdsToken(ttl);
    return { text: token, headers: { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) } };
  });
  const withImdsToken = (handler: (ctx: RouteContext) => RouteResult) => (ctx: RouteContext) =>
    services().cloud.validImdsToken(header(ctx, 'x-aws-ec2-metadata-token'))
      ? handler(ctx)
      : text(401, 'Unauthorized');
  router.add(
    'GET',
    `${imds}/latest/meta-data/iam/security-credentials`,
    withImdsToken(() => {
      const account = services().cloud.imdsAccount();
      return account ? text(200, account.imdsRole as string) : text(404, 'Not Found');
    }),
  );
  router.add(
    'GET',
    `${imds}/latest/meta-data/iam/security-credentials/:role`,
    withImdsToken((ctx) => {
      const account = services().cloud.imdsAccount();
      if (!account || account.imdsRole !== ctx.params.role) return text(404, 'Not Found');
      return json(200, {
        Code: 'Success',
        LastUpdated: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        Type: 'AWS-HMAC',
        ...awsCredentialsBody(account),
      });
    }),
  );
  router.add(
    'GET',
    `${imds}/latest/dynamic/instance-identity/document`,
    withImdsToken(() => {
      const cloud = services().cloud;
      const account = cloud.imdsAccount() ?? cloud.seed.aws?.accounts[0];
      return json(200, {
        accountId: account?.accountId ?? '000000000000',
        architecture: 'x86_64',
        availabilityZone: `${cloud.awsRegion}a`,
        imageId: 'ami-0emulator0000000',
        instanceId: 'i-0emulator00000000',
        instanceType: 't3.micro',
        pendingTime: '2024-01-01T00:00:00Z',
        privateIp: '10.0.0.10',
        region: cloud.awsRegion,
        version: '2017-09-30',
      });
    }),
  );

  const ecs = (ctx: RouteContext): RouteResult => {
    const cloud = services().cloud;
    const required = cloud.seed.aws?.ecsAuthorizationToken;
    if (required !== undefined && !safeEqual(header(ctx, 'authorization') ?? '', required)) {
      return json(401, {
        code: 'AccessDenied',
        message: 'Authorization token is missing or invalid',
      });
    }
    const account = cloud.ecsAccount();
    if (!account) return json(404, { code: 'NotFound', message: 'No task role credentials' });
    return json(200, { RoleArn: account.arn, ...awsCredentialsBody(account) });
  };
  router.add('GET', `${CLOUD_PATHS.awsEcs}/v2/credentials/:id`, ecs);
  router.add('GET', `${CLOUD_PATHS.awsEcs}/v1/credentials`, ecs);
}

function awsCredentialsBody(account: AwsAccount): Record<string, string> {
  return {
    AccessKeyId: account.accessKeyId,
    SecretAccessKey: account.secretAccessKey,
    ...(account.sessionToken ? { Token: account.sessionToken } : {}),
    Expiration: new Date(Date.now() + 6 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

function registerGcp(router: Router, services: GetServices): void {
  router.add(
    'GET',
    `${CLOUD_PATHS.gcpMetadata}/computeMetadata/v1/instance/service-accounts/default/identity`,
    (ctx) => {
      if (header(ctx, 'metadata-flavor') !== 'Google')
        return text(403, 'Missing Metadata-Flavor:Google header.');
      const audience = param(ctx, 'audience');
      if (!audience) return text(400, 'non-empty audience parameter required');
      const format = param(ctx, 'format') ?? 'standard';
      if (format !== 'standard' && format !== 'full')
        return text(400, 'format must be standard or full');
      const cloud = services().cloud;
      const account = cloud.defaultServiceAccount();
      if (!account) return text(404, 'No service account is attached to this instance.');
      return text(200, cloud.issueGceIdentityToken(account, audience, format === 'full'));
    },
  );

  router.add('POST', CLOUD_PATHS.gcpOAuthToken, (ctx) => {
    const form = new URLSearchParams(ctx.rawBody);
    if (form.get('grant_type') !== JWT_BEARER) {
      return oauthError(
        'unsupported_grant_type',
        'Invalid grant_type: only the JWT bearer grant is supported.',
      );
    }
    const cloud = services().cloud;
    const jwt = decodeJwt(form.get('assertion') ?? '');
    if (!jwt) return oauthError('invalid_grant', 'Invalid JWT: the assertion is not a JWT.');
    const email = typeof jwt.claims.iss === 'string' ? jwt.claims.iss : '';
    if (!cloud.serviceAccount(email))
      return oauthError('invalid_grant', 'Invalid grant: account not found');
    const check = cloud.verifyServiceAccountJwt(email, jwt);
    if (!check.ok) {
      if (check.reason === 'expired' || check.reason === 'early') {
        return oauthError(
          'invalid_grant',
          'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
        );
      }
      return oauthError('invalid_grant', 'Invalid JWT Signature.');
    }
    const aud = check.claims.aud;
    if (
      typeof aud !== 'string' ||
      (aud !== GOOGLE_TOKEN_URL && !aud.endsWith(CLOUD_PATHS.gcpOAuthToken))
    ) {
      return oauthError('invalid_grant', 'Invalid JWT: Failed audience check.');
    }
    const { iat, exp } = check.claims;
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600) {
      return oauthError(
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      );
    }
    if (typeof check.claims.scope !== 'string' || check.claims.scope.trim() === '') {
      return oauthError('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    }
    const issued = cloud.issueGcpAccessToken(email);
    return json(200, {
      access_token: issued.token,
      expires_in: issued.expiresIn,
      token_type: 'Bearer',
    });
  });

  router.add(
    'POST',
    `${CLOUD_PATHS.gcpIamCredentials}/v1/projects/-/serviceAccounts/:email:signJwt`,
    (ctx) => {
      const cloud = services().cloud;
      const bearer = /^Bearer\s+(\S+)$/i.exec(header(ctx, 'authorization') ?? '')?.[1];
      const caller = bearer === undefined ? undefined : cloud.gcpAccessTokenOwner(bearer);
      if (caller === undefined) {
        return googleError(
          401,
          'UNAUTHENTICATED',
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
      }
      const email = ctx.params.email as string;
      if (!cloud.serviceAccount(email) || caller !== email) {
        return googleError(
          403,
          'PERMISSION_DENIED',
          "Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).",
        );
      }
      const body = ctx.body as { payload?: unknown } | undefined;
      let payload: unknown;
      try {
        payload = typeof body?.payload === 'string' ? JSON.parse(body.payload) : undefined;
      } catch {
        payload = undefined;
      }
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        return googleError(400, 'INVALID_ARGUMENT', 'Invalid payload: a JSON object is required.');
      }
      const claims = { ...(payload as Record<string, unknown>) };
      const now = Math.floor(Date.now() / 1000);
      claims.iat ??= now;
      claims.exp ??= now + 3600;
      if (typeof claims.exp !== 'number' || claims.exp > now + TWELVE_HOURS) {
        return googleError(
          400,
          'INVALID_ARGUMENT',
          'Invalid payload: exp must be no more than 12 hours in the future.',
        );
      }
      return json(200, cloud.signJwtAs(email, claims));
    },
  );
}

function registerAzure(router: Router, services: GetServices): void {
  router.add('GET', `${CLOUD_PATHS.azureImds}/metadata/identity/oauth2/token`, (ctx) => {
    if (header(ctx, 'metadata') !== 'true') {
      return json(400, {
        error: 'invalid_request',
        error_description: 'Required metadata header not specified',
      });
    }
    if (!param(ctx, 'api-version')) {
      return json(400, {
        error: 'invalid_request',
        error_description: "Required query variable 'api-version' is missing",
      });
    }
    const resource = param(ctx, 'resource');
    if (!resource) {
      return json(400, {
        error: 'invalid_request',
        error_description: 'Required audience variable missing.',
      });
    }
    const cloud = services().cloud;
    if (!cloud.seed.azure) {
      return json(400, { error: 'invalid_request', error_description: 'Identity not found' });
    }
    const issued = cloud.issueAzureToken(resource);
    const now = Math.floor(Date.now() / 1000);
    return json(200, {
      access_token: issued.token,
      client_id: issued.clientId,
      expires_in: String(issued.expiresIn),
      expires_on: String(now + issued.expiresIn),
      ext_expires_in: String(issued.expiresIn),
      not_before: String(now),
      resource,
      token_type: 'Bearer',
    });
  });
}
