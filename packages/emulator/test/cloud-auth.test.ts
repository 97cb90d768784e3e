import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Emulator, parseSeed, SeedError, startEmulator } from '../src/index.ts';
import {
  AWS,
  AZURE_PRINCIPAL,
  AZURE_TENANT,
  cloudSeed,
  ECS_TOKEN,
  forge,
  GCP_OTHER_SA,
  GCP_SA,
  PROJECT_ID,
  parts,
  REGION,
  rs256,
  signedStsLogin,
} from './cloud-helpers.ts';
import { client } from './helpers.ts';

let emulator: Emulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: cloudSeed });
  api = client(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(() => vi.useRealTimers());

const id = (name: string) => emulator.identityId(name);
const login = (method: string, body: unknown) =>
  api.call('POST', `/api/v1/auth/${method}/login`, { body });
const listWith = (token: string) =>
  api.call('GET', '/api/v3/secrets/raw', {
    token,
    query: { workspaceId: PROJECT_ID, environment: 'dev' },
  });

/** Logs in and proves the token reads secrets. */
async function expectLogin(method: string, body: unknown, expiresIn = 2592000): Promise<void> {
  const res = await login(method, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toEqual({
    accessToken: expect.stringMatching(/^ey/),
    expiresIn,
    accessTokenMaxTTL: 2592000,
    tokenType: 'Bearer',
  });
  expect((await listWith(res.body.accessToken)).status).toBe(200);
}

async function expectRefusal(
  method: string,
  body: unknown,
  status: number,
  message: string | RegExp,
  error?: string,
) {
  const res = await login(method, body);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  if (typeof message === 'string') expect(res.body.message).toBe(message);
  else expect(res.body.message).toMatch(message);
  if (error) expect(res.body.error).toBe(error);
}

/** Moves the clock of the (in-process) emulator forward. */
function later(seconds: number): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + seconds * 1000 });
}

describe('AWS IAM auth', () => {
  it('logs in with long-term keys and with session credentials', async () => {
    await expectLogin('aws-auth', signedStsLogin(id('aws-app'), AWS.ci));
    await expectLogin('aws-auth', signedStsLogin(id('aws-app'), AWS.task));
    await expectLogin('aws-auth', signedStsLogin(id('aws-role'), AWS.web), 60);
  });

  it('recomputes the signature: one tampered signed header, a wrong secret or an unsigned change fail with 401', async () => {
    const tampered = signedStsLogin(id('aws-app'), AWS.ci, {
      tamper: (headers) => {
        headers['Content-Type'] = 'application/json';
      },
    });
    await expectRefusal('aws-auth', tampered, 401, /SignatureDoesNotMatch/, 'UnauthorizedError');
    const wrongSecret = signedStsLogin(id('aws-app'), {
      ...AWS.ci,
      secretAccessKey: 'not-the-secret',
    });
    await expectRefusal('aws-auth', wrongSecret, 401, /SignatureDoesNotMatch/);
    const otherSignature = signedStsLogin(id('aws-app'), AWS.ci, {
      tamper: (headers) => {
        // Flip the first hex digit (a fixed '0' would be no change when the signature starts with 0).
        headers.Authorization = (headers.Authorization as string).replace(
          /Signature=(\w)/,
          (_, digit: string) => `Signature=${digit === '0' ? '1' : '0'}`,
        );
      },
    });
    const res = await login('aws-auth', otherSignature);
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain(AWS.ci.secretAccessKey);
  });

  it('refuses an unknown access key, a missing or wrong session token, a stale date and another action', async () => {
    await expectRefusal(
      'aws-auth',
      signedStsLogin(id('aws-app'), { ...AWS.ci, accessKeyId: 'AKIAUNKNOWN000000001' }),
      401,
      /InvalidClientTokenId/,
    );
    const { sessionToken: _, ...withoutToken } = AWS.web;
    await expectRefusal(
      'aws-auth',
      signedStsLogin(id('aws-app'), withoutToken),
      401,
      /InvalidClientTokenId/,
    );
    await expectRefusal(
      'aws-auth',
      signedStsLogin(id('aws-app'), { ...AWS.web, sessionToken: 'stolen-other-token' }),
      401,
      /InvalidClientTokenId/,
    );
    await expectRefusal(
      'aws-auth',
      signedStsLogin(id('aws-app'), AWS.ci, { date: new Date(Date.now() - 20 * 60_000) }),
      401,
      /Signature expired/,
    );
    await expectRefusal(
      'aws-auth',
      signedStsLogin(id('aws-app'), AWS.ci, { body: 'Action=ListUsers&Version=2010-05-08' }),
      401,
      /InvalidAction/,
    );
  });

  it('checks the account and principal ARN allow lists like the server', async () => {
    await expectRefusal(
      'aws-auth',
      signedStsLogin(id('aws-app'), AWS.outsider),
      401,
      'Access denied: AWS account ID not allowed.',
    );
    await expectRefusal(
      'aws-auth',
      signedStsLogin(id('aws-role'), AWS.ci),
      401,
      'Access denied: AWS principal ARN not allowed. [principal-arn=arn:aws:iam::111122223333:user/ci]',
    );
  });

  it('answers 400 for a bad region, 404 for an identity without AWS auth, 422 for a bad body', async () => {
    await expectRefusal(
      'aws-auth',
      signedStsLogin(id('aws-app'), AWS.ci, { region: 'EU_WEST' }),
      400,
      'Invalid AWS region',
    );
    await expectRefusal(
      'aws-auth',
      signedStsLogin(id('admin'), AWS.ci),
      404,
      'AWS auth method not found for identity, did you configure AWS auth?',
    );
    await expectRefusal(
      'aws-auth',
      signedStsLogin('no-such-identity', AWS.ci),
      404,
      /AWS auth method not found/,
    );
    expect((await login('aws-auth', { identityId: id('aws-app') })).status).toBe(422);
  });
});

describe('AWS metadata stand-ins', () => {
  const imds = (method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${emulator.cloudEndpoints.awsImds}${path}`, { method, headers });

  it('serves IMDSv2: a session token, the role, its credentials and the identity document', async () => {
    expect((await imds('GET', '/latest/meta-data/iam/security-credentials/')).status).toBe(401);
    expect((await imds('PUT', '/latest/api/token')).status).toBe(400);
    const tokenRes = await imds('PUT', '/latest/api/token', {
      'X-aws-ec2-metadata-token-ttl-seconds': '21600',
    });
    const token = await tokenRes.text();
    const auth = { 'X-aws-ec2-metadata-token': token };
    expect(
      await (await imds('GET', '/latest/meta-data/iam/security-credentials/', auth)).text(),
    ).toBe('web-role');
    const creds = await (
      await imds('GET', '/latest/meta-data/iam/security-credentials/web-role', auth)
    ).json();
    expect(creds).toMatchObject({
      Code: 'Success',
      AccessKeyId: AWS.web.accessKeyId,
      SecretAccessKey: AWS.web.secretAccessKey,
      Token: AWS.web.sessionToken,
    });
    expect(
      (await imds('GET', '/latest/meta-data/iam/security-credentials/other-role', auth)).status,
    ).toBe(404);
    const doc = await (
      await imds('GET', '/latest/dynamic/instance-identity/document', auth)
    ).json();
    expect(doc).toMatchObject({ region: REGION, accountId: AWS.web.accountId });
    expect(emulator.requestCount('PUT /_cloud/aws/imds/latest/api/token')).toBe(2);
  });

  it('serves ECS container credentials only with the authorization token', async () => {
    const url = `${emulator.cloudEndpoints.awsEcs}/v2/credentials/task-1`;
    expect((await fetch(url)).status).toBe(401);
    const res = await fetch(url, { headers: { Authorization: ECS_TOKEN } });
    expect(await res.json()).toMatchObject({
      AccessKeyId: AWS.task.accessKeyId,
      RoleArn: AWS.task.arn,
    });
    expect(
      (
        await fetch(`${emulator.cloudEndpoints.awsEcs}/v1/credentials`, {
          headers: { Authorization: ECS_TOKEN },
        })
      ).status,
    ).toBe(200);
  });
});

describe('GCP auth', () => {
  const identityToken = async (
    audience: string,
    format = 'full',
    headers: Record<string, string> = { 'Metadata-Flavor': 'Google' },
  ) =>
    fetch(
      `${emulator.cloudEndpoints.gcpMetadata}/computeMetadata/v1/instance/service-accounts/default/identity?audience=${encodeURIComponent(audience)}&format=${format}`,
      { headers },
    );

  it('issues GCE identity tokens (Metadata-Flavor required) and logs in with them', async () => {
    expect((await identityToken(id('gce-app'), 'full', {})).status).toBe(403);
    const res = await identityToken(id('gce-app'));
    const jwt = await res.text();
    expect(parts(jwt).claims).toMatchObject({
      iss: 'https://accounts.google.com',
      aud: id('gce-app'),
      email: GCP_SA,
    });
    await expectLogin('gcp-auth', { identityId: id('gce-app'), jwt });
  });

  it('refuses GCE tokens for another audience, forged, expired, without email, or of another service account', async () => {
    const other = await (await identityToken('someone-else')).text();
    await expectRefusal(
      'gcp-auth',
      { identityId: id('gce-app'), jwt: other },
      401,
      'Wrong recipient, payload audience != requiredAudience',
    );
    const jwt = await (await identityToken(id('gce-app'))).text();
    await expectRefusal(
      'gcp-auth',
      { identityId: id('gce-app'), jwt: forge(jwt) },
      401,
      'Invalid token signature',
    );
    const standard = await (await identityToken(id('gce-app'), 'standard')).text();
    await expectRefusal(
      'gcp-auth',
      { identityId: id('gce-app'), jwt: standard },
      401,
      'Unauthorized',
    );
    later(7200);
    await expectRefusal('gcp-auth', { identityId: id('gce-app'), jwt }, 401, 'Token used too late');
  });

  it('runs the IAM flow: JWT-bearer assertion → OAuth token → signJwt → login', async () => {
    const key = emulator.gcpServiceAccountKey(GCP_SA);
    expect(key).toMatchObject({
      type: 'service_account',
      client_email: GCP_SA,
      token_uri: emulator.cloudEndpoints.gcpOAuthToken,
    });
    expect(key.private_key).toContain('-----BEGIN PRIVATE KEY-----');
    const now = Math.floor(Date.now() / 1000);
    const assertion = rs256(
      { kid: key.private_key_id },
      {
        iss: GCP_SA,
        scope: 'https://www.googleapis.com/auth/cloud-platform',
        aud: key.token_uri,
        iat: now,
        exp: now + 3600,
      },
      key.private_key,
    );
    const tokenRes = await fetch(emulator.cloudEndpoints.gcpOAuthToken, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:jwt-bearer')}&assertion=${assertion}`,
    });
    const { access_token } = await tokenRes.json();
    const signUrl = `${emulator.cloudEndpoints.gcpIamCredentials}/v1/projects/-/serviceAccounts/${encodeURIComponent(GCP_SA)}:signJwt`;
    const signJwt = (email: string, payload: object, token = access_token) =>
      fetch(signUrl.replace(encodeURIComponent(GCP_SA), encodeURIComponent(email)), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ payload: JSON.stringify(payload) }),
      });
    const signed = await (
      await signJwt(GCP_SA, { sub: GCP_SA, aud: id('gcp-iam-app'), exp: now + 600 })
    ).json();
    expect(signed.keyId).toBe(key.private_key_id);
    await expectLogin('gcp-auth', { identityId: id('gcp-iam-app'), jwt: signed.signedJwt });
    expect(
      emulator.requestCount(
        'POST /_cloud/gcp/iamcredentials/v1/projects/-/serviceAccounts/:email:signJwt',
      ),
    ).toBe(1);

    expect((await signJwt(GCP_SA, { sub: GCP_SA }, 'ya29.not-a-token')).status).toBe(401);
    expect((await signJwt(GCP_OTHER_SA, { sub: GCP_OTHER_SA })).status).toBe(403);
    const wrongAud = await (await signJwt(GCP_SA, { sub: GCP_SA, aud: 'other-identity' })).json();
    await expectRefusal(
      'gcp-auth',
      { identityId: id('gcp-iam-app'), jwt: wrongAud.signedJwt },
      401,
      'Invalid audience in GCP IAM Token',
    );
    await expectRefusal(
      'gcp-auth',
      { identityId: id('gcp-iam-app'), jwt: forge(signed.signedJwt) },
      403,
      'invalid signature',
      'TokenError',
    );
  });

  it('refuses an OAuth assertion signed with another key, and GCE tokens at an IAM identity', async () => {
    const key = emulator.gcpServiceAccountKey(GCP_SA);
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: GCP_SA, scope: 'x', aud: key.token_uri, iat: now, exp: now + 3600 };
    const assertion = forge(rs256({ kid: key.private_key_id }, claims, key.private_key));
    const res = await fetch(emulator.cloudEndpoints.gcpOAuthToken, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${assertion}`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid JWT Signature.',
    });
    const gce = await (await identityToken(id('gcp-iam-app'))).text();
    await expectRefusal(
      'gcp-auth',
      { identityId: id('gcp-iam-app'), jwt: gce },
      401,
      'Invalid service account identifier',
    );
  });
});

describe('Azure auth', () => {
  const azureToken = (
    resource = 'https://management.azure.com/',
    headers: Record<string, string> = { Metadata: 'true' },
  ) =>
    fetch(
      `${emulator.cloudEndpoints.azureImds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(resource)}`,
      { headers },
    );

  it('issues managed-identity tokens (Metadata: true required) and logs in with them', async () => {
    expect((await azureToken(undefined, {})).status).toBe(400);
    const body = await (await azureToken()).json();
    expect(body).toMatchObject({
      token_type: 'Bearer',
      resource: 'https://management.azure.com/',
      expires_in: '86399',
    });
    expect(parts(body.access_token).claims).toMatchObject({
      oid: AZURE_PRINCIPAL,
      tid: AZURE_TENANT,
    });
    await expectLogin('azure-auth', { identityId: id('azure-app'), jwt: body.access_token });
  });

  it('refuses another resource, forged and expired tokens (403 TokenError) and other principals (401)', async () => {
    const other = (await (await azureToken('https://vault.azure.net')).json()).access_token;
    await expectRefusal(
      'azure-auth',
      { identityId: id('azure-app'), jwt: other },
      403,
      /^jwt audience invalid/,
      'TokenError',
    );
    const jwt = (await (await azureToken()).json()).access_token;
    await expectRefusal(
      'azure-auth',
      { identityId: id('azure-app'), jwt: forge(jwt) },
      403,
      'invalid signature',
      'TokenError',
    );
    await expectRefusal(
      'azure-auth',
      { identityId: id('azure-other'), jwt },
      401,
      'Access denied: Azure service principal not allowed.',
    );
    later(90_000);
    await expectRefusal(
      'azure-auth',
      { identityId: id('azure-app'), jwt },
      403,
      'Your token has expired. Please re-authenticate.',
    );
  });
});

describe('Kubernetes auth', () => {
  it('mints service-account tokens through the control API and logs in with them', async () => {
    const res = await api.call('POST', '/_emulator/kubernetes/tokens', {
      body: { namespace: 'apps', name: 'web' },
    });
    expect(parts(res.body.token).claims).toMatchObject({ sub: 'system:serviceaccount:apps:web' });
    await expectLogin('kubernetes-auth', { identityId: id('k8s-app'), jwt: res.body.token });
    const unknown = await api.call('POST', '/_emulator/kubernetes/tokens', {
      body: { namespace: 'apps', name: 'ghost' },
    });
    expect(unknown.status).toBe(400);
  });

  it('refuses the wrong namespace, name or audience, and expired or forged tokens', async () => {
    const k8s = (namespace: string, name: string, extra = {}) =>
      emulator.issueKubernetesToken({ namespace, name, ...extra });
    await expectRefusal(
      'kubernetes-auth',
      { identityId: id('k8s-app'), jwt: k8s('other', 'web') },
      401,
      'Access denied: K8s namespace not allowed.',
    );
    await expectRefusal(
      'kubernetes-auth',
      { identityId: id('k8s-app'), jwt: k8s('apps', 'batch') },
      401,
      'Access denied: K8s name not allowed.',
    );
    await expectRefusal(
      'kubernetes-auth',
      { identityId: id('k8s-app'), jwt: k8s('apps', 'web', { expiresIn: -5 }) },
      401,
      '[invalid bearer token, service account token has expired]',
      'KubernetesTokenReviewError',
    );
    await expectRefusal(
      'kubernetes-auth',
      { identityId: id('k8s-app'), jwt: forge(k8s('apps', 'web')) },
      401,
      /invalid bearer token/,
    );
    await expectRefusal(
      'kubernetes-auth',
      { identityId: id('k8s-aud'), jwt: k8s('apps', 'web') },
      401,
      /is invalid for the target audiences/,
    );
    await expectLogin('kubernetes-auth', {
      identityId: id('k8s-aud'),
      jwt: k8s('apps', 'web', { audiences: ['infisical'] }),
    });
  });
});

describe('OIDC and JWT auth', () => {
  const oidc = (claims: Parameters<Emulator['issueOidcToken']>[0] = {}) =>
    emulator.issueOidcToken({
      iss: 'https://token.example.test',
      sub: 'repo:acme/web',
      aud: 'infisical',
      ...claims,
    });

  it('logs in with minted tokens that match the bindings', async () => {
    await expectLogin('oidc-auth', { identityId: id('oidc-app'), jwt: oidc() });
    const minted = await api.call('POST', '/_emulator/jwt/tokens', {
      body: { sub: 'ci-job', aud: ['infisical', 'other'], claims: { env: 'staging' } },
    });
    await expectLogin('jwt-auth', { identityId: id('jwt-app'), jwt: minted.body.token });
  });

  it('refuses the wrong audience, subject, issuer or claim, and expired or forged tokens', async () => {
    const identityId = id('oidc-app');
    await expectRefusal(
      'oidc-auth',
      { identityId, jwt: oidc({ aud: 'other' }) },
      401,
      'Access denied: OIDC audience not allowed.',
    );
    await expectRefusal(
      'oidc-auth',
      { identityId, jwt: oidc({ sub: 'repo:evil/web' }) },
      403,
      'Access denied: OIDC subject not allowed.',
    );
    await expectRefusal(
      'oidc-auth',
      { identityId, jwt: oidc({ iss: 'https://evil.test' }) },
      401,
      /jwt issuer invalid/,
    );
    await expectRefusal(
      'oidc-auth',
      { identityId, jwt: oidc({ expiresIn: -1 }) },
      401,
      'Access denied: jwt expired',
    );
    await expectRefusal(
      'oidc-auth',
      { identityId, jwt: forge(oidc()) },
      401,
      'Access denied: invalid signature',
    );
    await expectRefusal('oidc-auth', { identityId, jwt: 'not-a-jwt' }, 401, 'Invalid JWT');
    const jwt = (claims: Record<string, unknown>, aud = 'infisical') =>
      emulator.issueJwtToken({ sub: 'ci-job', aud, claims });
    const jwtId = id('jwt-app');
    await expectRefusal(
      'jwt-auth',
      { identityId: jwtId, jwt: jwt({ env: 'dev' }) },
      401,
      'Access denied: claim mismatch for field env',
    );
    await expectRefusal(
      'jwt-auth',
      { identityId: jwtId, jwt: jwt({}) },
      401,
      'Access denied: token has no env field',
    );
    await expectRefusal(
      'jwt-auth',
      { identityId: jwtId, jwt: jwt({ env: 'prod' }, 'elsewhere') },
      401,
      'Access denied: token audience not allowed',
    );
    await expectRefusal(
      'jwt-auth',
      { identityId: jwtId, jwt: forge(jwt({ env: 'prod' })) },
      401,
      'Access denied: JWT verification failed with all keys. Errors - invalid signature',
    );
    // A Kubernetes token is not an OIDC token: other key id.
    const k8s = emulator.issueKubernetesToken({ namespace: 'apps', name: 'web' });
    await expectRefusal(
      'jwt-auth',
      { identityId: jwtId, jwt: k8s },
      401,
      /JWT verification failed/,
    );
  });
});

describe('cloud stand-ins as API routes', () => {
  it('counts, logs and faults /_cloud routes like Infisical routes', async () => {
    emulator.injectFault({
      route: 'GET /_cloud/azure/metadata/identity/oauth2/token',
      status: 503,
      times: 1,
    });
    const url = `${emulator.cloudEndpoints.azureImds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x`;
    expect((await fetch(url, { headers: { Metadata: 'true' } })).status).toBe(503);
    expect((await fetch(url, { headers: { Metadata: 'true' } })).status).toBe(200);
    expect(emulator.requestCount('GET /_cloud/azure/metadata/identity/oauth2/token')).toBe(2);
    const logged = emulator.requests().log.map((entry) => entry.path);
    expect(logged.every((path) => !path.includes('resource'))).toBe(true);
  });

  it('lists identities with their auth methods and serves GCP keys through the control API', async () => {
    const res = await api.call('GET', '/_emulator/identities');
    expect(res.body.identities).toContainEqual({
      id: id('k8s-app'),
      name: 'k8s-app',
      authMethods: ['kubernetes-auth'],
    });
    const key = await api.call(
      'GET',
      `/_emulator/gcp/service-accounts/${encodeURIComponent(GCP_SA)}/key`,
    );
    expect(key.body.client_email).toBe(GCP_SA);
    expect(key.body.private_key_id).toBe(emulator.gcpServiceAccountKey(GCP_SA).private_key_id);
    expect(
      (await api.call('GET', '/_emulator/gcp/service-accounts/nobody%40x.test/key')).status,
    ).toBe(400);
  });
});

describe('cloud seed validation', () => {
  it('names the place and the problem', () => {
    const bad = (cloud: unknown, message: string) => {
      expect(() => parseSeed({ cloud })).toThrow(SeedError);
      expect(() => parseSeed({ cloud })).toThrow(message);
    };
    bad(
      { aws: { accounts: [{ ...AWS.ci, accountId: '123' }] } },
      'cloud.aws.accounts[0].accountId: must be a 12-digit AWS account id',
    );
    bad(
      { aws: { accounts: [AWS.ci, AWS.ci] } },
      'cloud.aws.accounts[1].accessKeyId: duplicate accessKeyId',
    );
    bad(
      { aws: { accounts: [{ ...AWS.web }, { ...AWS.task, imdsRole: 'x' }] } },
      'only one account can have imdsRole',
    );
    bad(
      {
        gcp: {
          serviceAccounts: [
            {
              email: GCP_SA,
              privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
            },
          ],
        },
      },
      'cloud.gcp.serviceAccounts[0].privateKey: not a readable PKCS#8 RSA private key',
    );
    bad(
      { gcp: { defaultServiceAccount: 'x@y.test', serviceAccounts: [] } },
      'cloud.gcp.defaultServiceAccount: unknown service account',
    );
    bad(
      { kubernetes: { serviceAccounts: [{ namespace: 'Apps', name: 'web' }] } },
      'cloud.kubernetes.serviceAccounts[0].namespace: must be a Kubernetes name',
    );
    expect(() => parseSeed({ identities: [{ name: 'x', gcpAuth: { type: 'gke' } }] })).toThrow(
      'identities[0].gcpAuth.type',
    );
    expect(() =>
      parseSeed({
        identities: [{ name: 'x', kubernetesAuth: { accessTokenTTL: 10, accessTokenMaxTTL: 5 } }],
      }),
    ).toThrow('accessTokenTTL may not be greater than accessTokenMaxTTL');
  });

  it('accepts a seeded PKCS#8 key and serves it back', async () => {
    const key = emulator.gcpServiceAccountKey(GCP_SA);
    const seeded = await startEmulator({
      port: 0,
      seed: {
        cloud: {
          gcp: {
            serviceAccounts: [
              { email: GCP_SA, privateKey: key.private_key, privateKeyId: 'seeded-key-1' },
            ],
          },
        },
      },
    });
    try {
      const served = seeded.gcpServiceAccountKey();
      expect(served.private_key_id).toBe('seeded-key-1');
      expect(served.private_key.replace(/\s/g, '')).toBe(key.private_key.replace(/\s/g, ''));
    } finally {
      await seeded.close();
    }
  });
});

describe('the bundled cloud example seed', () => {
  it('loads and logs each kind of identity in', async () => {
    const file = fileURLToPath(new URL('../examples/cloud-seed.yaml', import.meta.url));
    const example = await startEmulator({ port: 0, seed: file });
    try {
      const exampleApi = client(example);
      const ok = async (method: string, body: unknown) =>
        expect(
          (await exampleApi.call('POST', `/api/v1/auth/${method}/login`, { body })).status,
        ).toBe(200);
      const web = {
        accessKeyId: 'ASIAEMULATORWEB00001',
        secretAccessKey: 'fake-web-secret-access-key',
        sessionToken: 'fake-web-session-token',
      };
      await ok('aws-auth', signedStsLogin(example.identityId('web-on-ec2'), web));
      const k8s = example.issueKubernetesToken({ namespace: 'apps', name: 'web' });
      await ok('kubernetes-auth', { identityId: example.identityId('gke-pod'), jwt: k8s });
      const ci = example.issueOidcToken({
        iss: 'https://token.actions.githubusercontent.com',
        sub: 'repo:acme/app',
      });
      await ok('oidc-auth', { identityId: example.identityId('ci'), jwt: ci });
      const job = example.issueJwtToken({ sub: 'batch-job', claims: { env: 'prod' } });
      await ok('jwt-auth', { identityId: example.identityId('signed-jobs'), jwt: job });
      const azure = await (
        await fetch(
          `${example.cloudEndpoints.azureImds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/`,
          {
            headers: { Metadata: 'true' },
          },
        )
      ).json();
      await ok('azure-auth', {
        identityId: example.identityId('azure-vm'),
        jwt: azure.access_token,
      });
    } finally {
      await example.close();
    }
  });
});
