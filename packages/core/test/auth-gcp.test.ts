import { describe, expect, it } from 'vitest';
import { gcpIamAuth } from '../src/auth/gcp-iam.ts';
import { gcpIdTokenAuth } from '../src/auth/gcp-id-token.ts';
import {
  contextFor,
  deadEndpoint,
  failure,
  GCP_SA,
  GCP_STRANGER_SA,
  IDS,
  loginAndRead,
  useAuthEmulator,
} from './auth-helpers.ts';

const setup = useAuthEmulator();

const LOGIN = 'POST /api/v1/auth/gcp-auth/login';
const IDENTITY = 'GET /_cloud/gcp/computeMetadata/v1/instance/service-accounts/default/identity';
const OAUTH = 'POST /_cloud/gcp/oauth2/token';
const SIGN_JWT = 'POST /_cloud/gcp/iamcredentials/v1/projects/-/serviceAccounts/:email:signJwt';

describe('gcpIdTokenAuth', () => {
  it('logs in with the metadata server identity token, fetched at each login', async () => {
    const method = gcpIdTokenAuth(
      { identityId: IDS.gce, metadataEndpoint: setup.emulator.cloudEndpoints.gcpMetadata },
      {},
    );
    await loginAndRead(method, setup.emulator);
    await loginAndRead(method, setup.emulator);
    expect(setup.emulator.requestCount(IDENTITY)).toBe(2);
    expect(setup.emulator.requestCount(LOGIN)).toBe(2);
  });

  it('reads the identity id from INFISICAL_GCP_AUTH_IDENTITY_ID', async () => {
    const method = gcpIdTokenAuth(
      { metadataEndpoint: setup.emulator.cloudEndpoints.gcpMetadata },
      { INFISICAL_GCP_AUTH_IDENTITY_ID: IDS.gce },
    );
    await loginAndRead(method, setup.emulator);
  });

  it('fails with CREDENTIALS_UNAVAILABLE naming the metadata endpoint when it is down', async () => {
    const dead = await deadEndpoint();
    const error = await failure(
      gcpIdTokenAuth({ identityId: IDS.gce, metadataEndpoint: dead }, {}).login(
        contextFor(setup.emulator),
      ),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(error.message).toContain(
      `${dead}/computeMetadata/v1/instance/service-accounts/default/identity (ECONNREFUSED)`,
    );
    expect(error.message).not.toContain('audience=');
  });

  it('maps a refused login (identity of another type) to AUTH_FAILED without quoting the token', async () => {
    const method = gcpIdTokenAuth(
      { identityId: IDS.gcpIam, metadataEndpoint: setup.emulator.cloudEndpoints.gcpMetadata },
      {},
    );
    const error = await failure(method.login(contextFor(setup.emulator)), 'AUTH_FAILED');
    expect(error.status).toBe(401);
    expect(JSON.stringify(error)).not.toMatch(/eyJ/);
  });
});

describe('gcpIamAuth', () => {
  const endpoints = () => ({
    oauthToken: setup.emulator.cloudEndpoints.gcpOAuthToken,
    iamCredentials: setup.emulator.cloudEndpoints.gcpIamCredentials,
  });

  it('logs in with the key given as an object: OAuth token, signJwt, login', async () => {
    const key = setup.emulator.gcpServiceAccountKey(GCP_SA);
    await loginAndRead(
      gcpIamAuth({ identityId: IDS.gcpIam, serviceAccountKey: key, endpoints: endpoints() }, {}),
      setup.emulator,
    );
    expect([
      setup.emulator.requestCount(OAUTH),
      setup.emulator.requestCount(SIGN_JWT),
      setup.emulator.requestCount(LOGIN),
    ]).toEqual([1, 1, 1]);
  });

  it('logs in with the key given as JSON text', async () => {
    const key = JSON.stringify(setup.emulator.gcpServiceAccountKey(GCP_SA));
    await loginAndRead(
      gcpIamAuth({ identityId: IDS.gcpIam, serviceAccountKey: key, endpoints: endpoints() }, {}),
      setup.emulator,
    );
  });

  it('reads the key file named by the option or by INFISICAL_GCP_IAM_SERVICE_ACCOUNT_KEY_FILE_PATH', async () => {
    const file = setup.files.write(
      'sa.json',
      JSON.stringify(setup.emulator.gcpServiceAccountKey(GCP_SA), null, 2),
    );
    await loginAndRead(
      gcpIamAuth(
        { identityId: IDS.gcpIam, serviceAccountKeyFilePath: file, endpoints: endpoints() },
        {},
      ),
      setup.emulator,
    );
    const env = {
      INFISICAL_GCP_IAM_AUTH_IDENTITY_ID: IDS.gcpIam,
      INFISICAL_GCP_IAM_SERVICE_ACCOUNT_KEY_FILE_PATH: file,
    };
    await loginAndRead(gcpIamAuth({ endpoints: endpoints() }, env), setup.emulator);
  });

  it('refuses a service account outside the allow list (AUTH_FAILED) and never quotes the key', async () => {
    const key = setup.emulator.gcpServiceAccountKey(GCP_STRANGER_SA);
    const error = await failure(
      gcpIamAuth(
        { identityId: IDS.gcpIam, serviceAccountKey: key, endpoints: endpoints() },
        {},
      ).login(contextFor(setup.emulator)),
      'AUTH_FAILED',
      [key.private_key, key.private_key.split('\n')[1] as string],
    );
    expect(error.status).toBe(401);
  });

  it('reports a key the token endpoint refuses with its reason, without quoting the key', async () => {
    const key = setup.emulator.gcpServiceAccountKey(GCP_SA);
    const other = setup.emulator.gcpServiceAccountKey(GCP_STRANGER_SA);
    const mixed = { ...key, private_key: other.private_key };
    const error = await failure(
      gcpIamAuth(
        { identityId: IDS.gcpIam, serviceAccountKey: mixed, endpoints: endpoints() },
        {},
      ).login(contextFor(setup.emulator)),
      'CREDENTIALS_UNAVAILABLE',
      [other.private_key.split('\n')[1] as string],
    );
    expect(error.message).toContain(
      `${setup.emulator.cloudEndpoints.gcpOAuthToken} (HTTP 400: Invalid JWT Signature.)`,
    );
  });

  it('fails with CREDENTIALS_UNAVAILABLE for a missing key file, a PKCS#1 key, or a down token endpoint', async () => {
    const missing = await failure(
      gcpIamAuth(
        { identityId: IDS.gcpIam, serviceAccountKeyFilePath: '/nonexistent/sa.json' },
        {},
      ).login(contextFor(setup.emulator)),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(missing.message).toContain('/nonexistent/sa.json (ENOENT)');
    const pkcs1 = {
      client_email: GCP_SA,
      private_key:
        '-----BEGIN RSA PRIVATE KEY-----\nfake-pkcs1-body\n-----END RSA PRIVATE KEY-----\n',
    };
    const error = await failure(
      gcpIamAuth({ identityId: IDS.gcpIam, serviceAccountKey: pkcs1 }, {}).login(
        contextFor(setup.emulator),
      ),
      'CREDENTIALS_UNAVAILABLE',
      ['fake-pkcs1-body'],
    );
    expect(error.message).toContain('PKCS#8');
    const dead = await deadEndpoint();
    const down = await failure(
      gcpIamAuth(
        {
          identityId: IDS.gcpIam,
          serviceAccountKey: setup.emulator.gcpServiceAccountKey(GCP_SA),
          endpoints: { oauthToken: `${dead}/token` },
        },
        {},
      ).login(contextFor(setup.emulator)),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(down.message).toContain(`${dead}/token (ECONNREFUSED)`);
  });

  it('needs an identity id and a key when built', () => {
    expect(() => gcpIamAuth({ serviceAccountKeyFilePath: '/x' }, {})).toThrow(
      /INFISICAL_GCP_IAM_AUTH_IDENTITY_ID/,
    );
    expect(() => gcpIamAuth({ identityId: IDS.gcpIam }, {})).toThrow(
      /INFISICAL_GCP_IAM_SERVICE_ACCOUNT_KEY_FILE_PATH/,
    );
    expect(() =>
      gcpIamAuth({ identityId: IDS.gcpIam, serviceAccountKey: '{not json' }, {}),
    ).toThrow(/not valid JSON/);
  });
});
