import type { Emulator } from '@infisical/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/node.ts';
import { resolveAuth } from '../src/auth/resolve-auth.ts';
import { InfisicalClient, type InfisicalError, isInfisicalError } from '../src/index.ts';
import { IDS, loginAndRead, tempFiles, useAuthEmulator } from './auth-helpers.ts';
import { FAST_RETRY, PROJECT_ID, startCoreEmulator } from './helpers.ts';

let emulator: Emulator;
const files = tempFiles();
beforeAll(async () => {
  emulator = await startCoreEmulator();
});
afterAll(async () => {
  await emulator.close();
  files.cleanup();
});

/** A client configured by environment variables only (nothing from process.env). */
const clientFromEnv = (env: Record<string, string>) =>
  new InfisicalClient({
    siteUrl: emulator.url,
    projectId: PROJECT_ID,
    environment: 'dev',
    env,
    refreshInterval: 0,
    retry: FAST_RETRY,
  });

const thrown = (run: () => unknown): InfisicalError => {
  try {
    run();
  } catch (error) {
    if (isInfisicalError(error)) return error;
    throw error;
  }
  throw new Error('expected an InfisicalError');
};
const rejected = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('expected a failure'),
    (error: unknown) => error as InfisicalError,
  );

describe('credentials from *_FILE variables', () => {
  it('reads the Universal Auth client secret (and id) from files, trailing newline trimmed', async () => {
    const secret = files.write('client-secret', 'app-secret-fake\n');
    const id = files.write('client-id', 'app-id\r\n');
    const client = clientFromEnv({
      INFISICAL_UNIVERSAL_AUTH_CLIENT_ID_FILE: id,
      INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET_FILE: secret,
    });
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    await client.close();

    const mixed = clientFromEnv({
      INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: 'app-id',
      INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET_FILE: secret,
    });
    expect((await mixed.getSecret('DB_PORT')).value).toBe('5432');
    await mixed.close();
  });

  it('reads INFISICAL_TOKEN_FILE', async () => {
    const token = files.write('token', 'static-token-fake-0001\n');
    const client = clientFromEnv({ INFISICAL_TOKEN_FILE: token });
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    expect(client.toJSON().auth).toBe('access-token');
    await client.close();
  });

  it('refuses a variable set both ways, naming both, before any request', () => {
    const path = files.write('both', 'app-secret-fake');
    const before = emulator.requestCount();
    const error = thrown(() =>
      clientFromEnv({
        INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: 'app-id',
        INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: 'app-secret-fake',
        INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET_FILE: path,
      }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(
      'Both INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET and INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET_FILE are set',
    );
    expect(error.details).toEqual({
      variables: [
        'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET',
        'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET_FILE',
      ],
    });
    expect(error.message).not.toContain('app-secret-fake');
    expect(
      thrown(() =>
        clientFromEnv({ INFISICAL_TOKEN: 'x', INFISICAL_TOKEN_FILE: files.write('t', 'x') }),
      ).code,
    ).toBe('CONFIG_INVALID');
    expect(emulator.requestCount()).toBe(before);
  });

  it('names the variable and the path of a missing, unreadable or empty file (never its content)', async () => {
    const missing = `${files.dir}/no-such-secret`;
    const client = clientFromEnv({
      INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: 'app-id',
      INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET_FILE: missing,
    });
    const error = await rejected(client.getSecret('DB_HOST'));
    expect(error.code).toBe('CREDENTIALS_UNAVAILABLE');
    expect(error.message).toContain('INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET_FILE');
    expect(error.message).toContain(missing);
    expect(error.message).toContain('ENOENT');
    expect(error.details).toEqual({
      variable: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET_FILE',
      path: missing,
    });
    await client.close();

    // A folder cannot be read as a file, whoever runs the test (root reads any mode).
    const unreadable = clientFromEnv({
      INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: 'app-id',
      INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET_FILE: files.dir,
    });
    const denied = await rejected(unreadable.getSecret('DB_HOST'));
    expect(denied.code).toBe('CREDENTIALS_UNAVAILABLE');
    expect(denied.message).toContain(
      `INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET_FILE file at ${files.dir} (EISDIR)`,
    );
    await unreadable.close();

    const empty = files.write('empty', '\n');
    const blank = clientFromEnv({ INFISICAL_TOKEN_FILE: empty });
    const emptyError = await rejected(blank.getSecret('DB_HOST'));
    expect(emptyError.code).toBe('CREDENTIALS_UNAVAILABLE');
    expect(emptyError.message).toBe(
      `The INFISICAL_TOKEN_FILE file at ${empty} is empty. Fix: write the value of INFISICAL_TOKEN into it.`,
    );
    await blank.close();
  });

  it('reads the file at each login, so a rotated mounted secret is picked up', async () => {
    const path = files.write('rotating', 'not-the-secret\n');
    const client = clientFromEnv({
      INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: 'app-id',
      INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET_FILE: path,
    });
    expect((await rejected(client.getSecret('DB_HOST'))).code).toBe('AUTH_FAILED');
    files.write('rotating', 'app-secret-fake\n');
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    await client.close();
  });
});

describe('*_FILE variables of the machine-identity methods', () => {
  const setup = useAuthEmulator();

  it('takes the identity id and the JWT from files', async () => {
    const idFile = setup.files.write('oidc-id', `${IDS.oidc}\n`);
    const jwtFile = setup.files.write(
      'oidc-jwt',
      `${setup.emulator.issueOidcToken({ sub: 'repo:acme/x' })}\n`,
    );
    const method = resolveAuth(undefined, {
      INFISICAL_OIDC_AUTH_IDENTITY_ID_FILE: idFile,
      INFISICAL_OIDC_AUTH_JWT_FILE: jwtFile,
    });
    expect(method.name).toBe('oidc');
    await loginAndRead(method, setup.emulator);
  });

  it('refuses an identity id or a JWT set both ways', () => {
    const path = setup.files.write('id', IDS.jwt);
    expect(
      thrown(() =>
        resolveAuth(undefined, {
          INFISICAL_AWS_IAM_AUTH_IDENTITY_ID: IDS.aws,
          INFISICAL_AWS_IAM_AUTH_IDENTITY_ID_FILE: path,
        }),
      ).message,
    ).toContain(
      'Both INFISICAL_AWS_IAM_AUTH_IDENTITY_ID and INFISICAL_AWS_IAM_AUTH_IDENTITY_ID_FILE',
    );
    expect(
      thrown(() =>
        resolveAuth(undefined, {
          INFISICAL_JWT_AUTH_IDENTITY_ID: IDS.jwt,
          INFISICAL_JWT_AUTH_JWT: 'a.b.c',
          INFISICAL_JWT_AUTH_JWT_FILE: path,
        }),
      ).code,
    ).toBe('CONFIG_INVALID');
  });
});
