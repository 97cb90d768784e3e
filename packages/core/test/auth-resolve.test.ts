import { describe, expect, it } from 'vitest';
import '../src/node.ts';
import { resolveAuth } from '../src/auth/resolve-auth.ts';
import { isInfisicalError } from '../src/errors/infisical-error.ts';
import { AWS, AWS_REGION, GCP_SA, IDS, loginAndRead, useAuthEmulator } from './auth-helpers.ts';

const setup = useAuthEmulator();

/** Every method's identity variable, in the detection order. */
const DETECTION: [string, string][] = [
  ['INFISICAL_AWS_IAM_AUTH_IDENTITY_ID', 'aws-iam'],
  ['INFISICAL_GCP_IAM_AUTH_IDENTITY_ID', 'gcp-iam'],
  ['INFISICAL_GCP_AUTH_IDENTITY_ID', 'gcp-id-token'],
  ['INFISICAL_AZURE_AUTH_IDENTITY_ID', 'azure'],
  ['INFISICAL_KUBERNETES_IDENTITY_ID', 'kubernetes'],
  ['INFISICAL_OIDC_AUTH_IDENTITY_ID', 'oidc'],
  ['INFISICAL_JWT_AUTH_IDENTITY_ID', 'jwt'],
];

/** What each method needs besides its identity id to be built from the environment. */
const EXTRA: Record<string, Record<string, string>> = {
  'gcp-iam': { INFISICAL_GCP_IAM_SERVICE_ACCOUNT_KEY_FILE_PATH: '/var/secrets/sa.json' },
  oidc: { INFISICAL_OIDC_AUTH_JWT: 'header.payload.signature' },
  jwt: { INFISICAL_JWT_AUTH_JWT_FILE: '/var/run/jwt' },
};

describe('resolveAuth from the environment', () => {
  it('detects each machine-identity method by its identity id variable', () => {
    for (const [name, method] of DETECTION) {
      expect(resolveAuth(undefined, { [name]: 'identity-x', ...EXTRA[method] }).name).toBe(method);
    }
  });

  it('follows the order: Universal Auth, INFISICAL_TOKEN, AWS, GCP IAM, GCP ID token, Azure, Kubernetes, OIDC, JWT', () => {
    const all: Record<string, string> = Object.assign({}, ...Object.values(EXTRA));
    for (const [name] of DETECTION) all[name] = 'identity-x';
    for (const [name, method] of DETECTION) {
      expect(resolveAuth(undefined, all).name).toBe(method);
      delete all[name];
    }
    expect(
      resolveAuth(undefined, {
        INFISICAL_TOKEN: 'token-x',
        INFISICAL_AWS_IAM_AUTH_IDENTITY_ID: 'x',
      }).name,
    ).toBe('access-token');
    expect(
      resolveAuth(undefined, {
        INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: 'a',
        INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: 'b',
        INFISICAL_KUBERNETES_IDENTITY_ID: 'x',
      }).name,
    ).toBe('universal-auth');
  });

  it('lists every method in the error when nothing is set', () => {
    let error: unknown;
    try {
      resolveAuth(undefined, {});
    } catch (caught) {
      error = caught;
    }
    expect(isInfisicalError(error) && error.code).toBe('CREDENTIALS_UNAVAILABLE');
    for (const [name] of DETECTION) expect((error as Error).message).toContain(name);
  });

  it('fails with CREDENTIALS_UNAVAILABLE when a detected method lacks its other variables', () => {
    expect(() => resolveAuth(undefined, { INFISICAL_GCP_IAM_AUTH_IDENTITY_ID: 'x' })).toThrow(
      /INFISICAL_GCP_IAM_SERVICE_ACCOUNT_KEY_FILE_PATH/,
    );
    expect(() => resolveAuth(undefined, { INFISICAL_JWT_AUTH_IDENTITY_ID: 'x' })).toThrow(
      /INFISICAL_JWT_AUTH_JWT/,
    );
  });

  it('logs in end to end from environment variables alone (AWS keys, Kubernetes token path, OIDC, JWT)', async () => {
    const aws = {
      INFISICAL_AWS_IAM_AUTH_IDENTITY_ID: IDS.aws,
      AWS_ACCESS_KEY_ID: AWS.ci.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS.ci.secretAccessKey,
      AWS_REGION,
    };
    await loginAndRead(resolveAuth(undefined, aws), setup.emulator);
    const k8sFile = setup.files.write(
      'k8s',
      setup.emulator.issueKubernetesToken({ namespace: 'apps', name: 'web' }),
    );
    const k8s = {
      INFISICAL_KUBERNETES_IDENTITY_ID: IDS.kubernetes,
      INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH_ENV_NAME: 'POD_TOKEN_PATH',
      POD_TOKEN_PATH: k8sFile,
    };
    await loginAndRead(resolveAuth(undefined, k8s), setup.emulator);
    const oidc = {
      INFISICAL_OIDC_AUTH_IDENTITY_ID: IDS.oidc,
      INFISICAL_OIDC_AUTH_JWT: setup.emulator.issueOidcToken({ sub: 'repo:acme/x' }),
    };
    await loginAndRead(resolveAuth(undefined, oidc), setup.emulator);
    const jwtFile = setup.files.write('jwt', setup.emulator.issueJwtToken({ sub: 'ci-job' }));
    await loginAndRead(
      resolveAuth(undefined, {
        INFISICAL_JWT_AUTH_IDENTITY_ID: IDS.jwt,
        INFISICAL_JWT_AUTH_JWT_FILE: jwtFile,
      }),
      setup.emulator,
    );
  });
});

describe('resolveAuth with an auth option', () => {
  it('builds each method from its option, falling back to the environment per field', async () => {
    const endpoints = setup.emulator.cloudEndpoints;
    await loginAndRead(
      resolveAuth(
        { awsIam: { credentials: AWS.ci, region: AWS_REGION } },
        { INFISICAL_AWS_IAM_AUTH_IDENTITY_ID: IDS.aws },
      ),
      setup.emulator,
    );
    await loginAndRead(
      resolveAuth(
        {
          gcpIam: {
            identityId: IDS.gcpIam,
            serviceAccountKey: setup.emulator.gcpServiceAccountKey(GCP_SA),
            endpoints: {
              oauthToken: endpoints.gcpOAuthToken,
              iamCredentials: endpoints.gcpIamCredentials,
            },
          },
        },
        {},
      ),
      setup.emulator,
    );
    await loginAndRead(
      resolveAuth(
        { gcpIdToken: { identityId: IDS.gce, metadataEndpoint: endpoints.gcpMetadata } },
        {},
      ),
      setup.emulator,
    );
    await loginAndRead(
      resolveAuth({ azure: { identityId: IDS.azure, metadataEndpoint: endpoints.azureImds } }, {}),
      setup.emulator,
    );
    const k8s = setup.emulator.issueKubernetesToken({ namespace: 'apps', name: 'web' });
    await loginAndRead(
      resolveAuth({ kubernetes: { identityId: IDS.kubernetes, token: k8s } }, {}),
      setup.emulator,
    );
    await loginAndRead(
      resolveAuth(
        {
          oidc: {
            identityId: IDS.oidc,
            jwt: setup.emulator.issueOidcToken({ sub: 'repo:acme/y' }),
          },
        },
        {},
      ),
      setup.emulator,
    );
    await loginAndRead(
      resolveAuth(
        { jwt: { jwt: setup.emulator.issueJwtToken({ sub: 'ci-job' }) } },
        { INFISICAL_JWT_AUTH_IDENTITY_ID: IDS.jwt },
      ),
      setup.emulator,
    );
  });

  it('refuses a method option that is not an object, or two methods at once', () => {
    expect(() => resolveAuth({ kubernetes: 'token' as never }, {})).toThrow(
      /auth.kubernetes must be an object/,
    );
    expect(() => resolveAuth({ oidc: {}, jwt: {} } as never, {})).toThrow(/exactly one method/);
  });
});
