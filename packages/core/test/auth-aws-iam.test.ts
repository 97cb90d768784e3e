import { describe, expect, it } from 'vitest';
import { awsIamAuth } from '../src/auth/aws-iam.ts';
import {
  AWS,
  AWS_REGION,
  contextFor,
  deadEndpoint,
  ECS_TOKEN,
  failure,
  IDS,
  loginAndRead,
  useAuthEmulator,
} from './auth-helpers.ts';

const setup = useAuthEmulator();

const LOGIN = 'POST /api/v1/auth/aws-auth/login';
const IMDS_TOKEN = 'PUT /_cloud/aws/imds/latest/api/token';
const IMDS_ROLE = 'GET /_cloud/aws/imds/latest/meta-data/iam/security-credentials';
const IMDS_CREDS = 'GET /_cloud/aws/imds/latest/meta-data/iam/security-credentials/:role';
const IMDS_DOC = 'GET /_cloud/aws/imds/latest/dynamic/instance-identity/document';
const ECS_V2 = 'GET /_cloud/aws/ecs/v2/credentials/:id';
const ECS_V1 = 'GET /_cloud/aws/ecs/v1/credentials';
const ALL_SECRETS = Object.values(AWS)
  .flatMap((p) => [p.secretAccessKey, 'sessionToken' in p ? p.sessionToken : ''])
  .filter(Boolean);

const endpoints = () => ({
  imds: setup.emulator.cloudEndpoints.awsImds,
  ecs: setup.emulator.cloudEndpoints.awsEcs,
});
const { accessKeyId, secretAccessKey } = AWS.ci;

describe('awsIamAuth credential sources', () => {
  it('signs with the credentials option and the region option, touching no metadata service', async () => {
    await loginAndRead(
      awsIamAuth(
        {
          identityId: IDS.aws,
          region: AWS_REGION,
          credentials: { accessKeyId, secretAccessKey },
          endpoints: endpoints(),
        },
        {},
      ),
      setup.emulator,
    );
    expect(setup.emulator.requestCount(LOGIN)).toBe(1);
    expect(setup.emulator.requestCount()).toBe(2); // the login and the secrets read
  });

  it('reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN and AWS_REGION at each login', async () => {
    const env: Record<string, string | undefined> = {
      INFISICAL_AWS_IAM_AUTH_IDENTITY_ID: IDS.aws,
      AWS_ACCESS_KEY_ID: AWS.web.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS.web.secretAccessKey,
      AWS_SESSION_TOKEN: AWS.web.sessionToken,
      AWS_REGION,
    };
    const method = awsIamAuth({ endpoints: endpoints() }, env);
    await loginAndRead(method, setup.emulator);
    // Rotated credentials are picked up by the next login.
    env.AWS_ACCESS_KEY_ID = AWS.ci.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = AWS.ci.secretAccessKey;
    env.AWS_SESSION_TOKEN = undefined;
    await loginAndRead(method, setup.emulator);
    expect(setup.emulator.requestCount(LOGIN)).toBe(2);
    expect(setup.emulator.requestCount(IMDS_TOKEN)).toBe(0);
  });

  it('takes the region from AWS_DEFAULT_REGION when AWS_REGION is unset', async () => {
    const env = {
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_DEFAULT_REGION: AWS_REGION,
    };
    await loginAndRead(
      awsIamAuth({ identityId: IDS.aws, endpoints: endpoints() }, env),
      setup.emulator,
    );
  });

  it('uses ECS credentials from AWS_CONTAINER_CREDENTIALS_RELATIVE_URI with the authorization token', async () => {
    const env = {
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/7f3a-task',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: ECS_TOKEN,
      AWS_REGION,
    };
    await loginAndRead(
      awsIamAuth({ identityId: IDS.aws, endpoints: endpoints() }, env),
      setup.emulator,
    );
    expect(setup.emulator.requestCount(ECS_V2)).toBe(1);
  });

  it('uses ECS/EKS credentials from AWS_CONTAINER_CREDENTIALS_FULL_URI with a token file', async () => {
    const env = {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${setup.emulator.cloudEndpoints.awsEcs}/v1/credentials`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: setup.files.write('eks-token', `${ECS_TOKEN}\n`),
      AWS_REGION,
    };
    await loginAndRead(
      awsIamAuth({ identityId: IDS.aws, endpoints: endpoints() }, env),
      setup.emulator,
    );
    expect(setup.emulator.requestCount(ECS_V1)).toBe(1);
  });

  it('falls back to the EC2 instance profile: one IMDSv2 token per login for role, credentials and region', async () => {
    const method = awsIamAuth({ identityId: IDS.aws, endpoints: endpoints() }, {});
    await loginAndRead(method, setup.emulator);
    expect(setup.emulator.requestCount(IMDS_TOKEN)).toBe(1);
    expect(setup.emulator.requestCount(IMDS_ROLE)).toBe(1);
    expect(setup.emulator.requestCount(IMDS_CREDS)).toBe(1);
    expect(setup.emulator.requestCount(IMDS_DOC)).toBe(1);
    await loginAndRead(method, setup.emulator);
    expect(setup.emulator.requestCount(IMDS_TOKEN)).toBe(2);
  });

  it('asks IMDS only for the region when the credentials come from the environment', async () => {
    await loginAndRead(
      awsIamAuth(
        { identityId: IDS.aws, endpoints: endpoints() },
        { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey },
      ),
      setup.emulator,
    );
    expect(setup.emulator.requestCount(IMDS_TOKEN)).toBe(1);
    expect(setup.emulator.requestCount(IMDS_ROLE)).toBe(0);
    expect(setup.emulator.requestCount(IMDS_DOC)).toBe(1);
  });
});

describe('awsIamAuth failures', () => {
  it('names the instance metadata endpoint when it is down (CREDENTIALS_UNAVAILABLE)', async () => {
    const dead = await deadEndpoint();
    const method = awsIamAuth({ identityId: IDS.aws, endpoints: { imds: dead } }, {});
    const error = await failure(
      method.login(contextFor(setup.emulator)),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(error.message).toContain(`${dead}/latest/api/token (ECONNREFUSED)`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('AWS_ACCESS_KEY_ID');
  });

  it('reports an IMDS answer of 503 and a refused ECS token by status', async () => {
    setup.emulator.injectFault({ route: IMDS_TOKEN, status: 503 });
    const imds = await failure(
      awsIamAuth({ identityId: IDS.aws, endpoints: endpoints() }, {}).login(
        contextFor(setup.emulator),
      ),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(imds.message).toContain('HTTP 503');
    const env = {
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong-ecs-token',
      AWS_REGION,
    };
    const ecs = await failure(
      awsIamAuth({ identityId: IDS.aws, endpoints: endpoints() }, env).login(
        contextFor(setup.emulator),
      ),
      'CREDENTIALS_UNAVAILABLE',
      ['wrong-ecs-token'],
    );
    expect(ecs.message).toContain(
      `${setup.emulator.cloudEndpoints.awsEcs}/v2/credentials/x (HTTP 401)`,
    );
  });

  it('refuses a FULL_URI to a non-loopback http host, and half-set key variables', async () => {
    const far = { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://example.com/creds', AWS_REGION };
    await failure(
      awsIamAuth({ identityId: IDS.aws }, far).login(contextFor(setup.emulator)),
      'CREDENTIALS_UNAVAILABLE',
    );
    const half = { AWS_ACCESS_KEY_ID: accessKeyId, AWS_REGION };
    const error = await failure(
      awsIamAuth({ identityId: IDS.aws }, half).login(contextFor(setup.emulator)),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(error.message).toContain('AWS_SECRET_ACCESS_KEY is not');
  });

  it('maps refused logins to AUTH_FAILED without quoting any key, token or signature', async () => {
    const wrongSecret = awsIamAuth(
      {
        identityId: IDS.aws,
        region: AWS_REGION,
        credentials: { accessKeyId, secretAccessKey: 'fake-wrong-secret' },
      },
      {},
    );
    const signature = await failure(wrongSecret.login(contextFor(setup.emulator)), 'AUTH_FAILED', [
      'fake-wrong-secret',
      ...ALL_SECRETS,
    ]);
    expect(signature.status).toBe(401);
    expect(JSON.stringify(signature)).not.toMatch(/Signature=|[0-9a-f]{64}/);
    const outsider = awsIamAuth(
      { identityId: IDS.aws, region: AWS_REGION, credentials: AWS.outsider },
      {},
    );
    await failure(outsider.login(contextFor(setup.emulator)), 'AUTH_FAILED', ALL_SECRETS);
    const noIdentity = awsIamAuth(
      { identityId: 'no-such-identity', region: AWS_REGION, credentials: AWS.ci },
      {},
    );
    const missing = await failure(
      noIdentity.login(contextFor(setup.emulator)),
      'AUTH_FAILED',
      ALL_SECRETS,
    );
    expect(missing.status).toBe(404);
  });

  it('checks options when the method is built', async () => {
    expect(() => awsIamAuth({}, {})).toThrow(/INFISICAL_AWS_IAM_AUTH_IDENTITY_ID/);
    expect(() => awsIamAuth({ identityId: IDS.aws, region: 'Not A Region' }, {})).toThrow(/region/);
    expect(() => awsIamAuth({ identityId: IDS.aws, endpoints: { imds: 'not a url' } }, {})).toThrow(
      /endpoints.imds/,
    );
    const error = await failure(
      Promise.resolve().then(() =>
        awsIamAuth(
          {
            identityId: IDS.aws,
            credentials: { accessKeyId: 'has space', secretAccessKey: 'fake-secret-x' },
          },
          {},
        ),
      ),
      'CREDENTIALS_UNAVAILABLE',
      ['fake-secret-x', 'has space'],
    );
    expect(error.message).toContain('credentials option');
  });
});
