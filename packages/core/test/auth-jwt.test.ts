import { describe, expect, it } from 'vitest';
import { jwtAuth, oidcAuth } from '../src/auth/jwt-auth.ts';
import { contextFor, failure, IDS, loginAndRead, useAuthEmulator } from './auth-helpers.ts';

const setup = useAuthEmulator();

const oidcToken = (sub = 'repo:acme/web', aud = 'infisical', expiresIn?: number) =>
  setup.emulator.issueOidcToken({ sub, aud, ...(expiresIn === undefined ? {} : { expiresIn }) });

describe('oidcAuth', () => {
  it('logs in with the jwt option, and with a file read at each login', async () => {
    await loginAndRead(oidcAuth({ identityId: IDS.oidc, jwt: oidcToken() }, {}), setup.emulator);
    const file = setup.files.write('oidc-token', oidcToken('repo:evil/web'));
    const method = oidcAuth({ identityId: IDS.oidc, jwtFilePath: file }, {});
    const error = await failure(method.login(contextFor(setup.emulator)), 'AUTH_FAILED');
    expect(error.status).toBe(403);
    setup.files.write('oidc-token', `${oidcToken()}\n`);
    await loginAndRead(method, setup.emulator);
  });

  it('reads INFISICAL_OIDC_AUTH_IDENTITY_ID with INFISICAL_OIDC_AUTH_JWT or INFISICAL_OIDC_AUTH_JWT_FILE', async () => {
    await loginAndRead(
      oidcAuth(
        {},
        { INFISICAL_OIDC_AUTH_IDENTITY_ID: IDS.oidc, INFISICAL_OIDC_AUTH_JWT: oidcToken() },
      ),
      setup.emulator,
    );
    const file = setup.files.write('oidc-env-token', oidcToken());
    await loginAndRead(
      oidcAuth(
        {},
        { INFISICAL_OIDC_AUTH_IDENTITY_ID: IDS.oidc, INFISICAL_OIDC_AUTH_JWT_FILE: file },
      ),
      setup.emulator,
    );
    expect(() => oidcAuth({}, { INFISICAL_OIDC_AUTH_IDENTITY_ID: IDS.oidc })).toThrow(
      /INFISICAL_OIDC_AUTH_JWT or INFISICAL_OIDC_AUTH_JWT_FILE/,
    );
  });

  it('maps an expired or wrong-audience token to AUTH_FAILED, never quoting it', async () => {
    for (const jwt of [
      oidcToken('repo:acme/web', 'infisical', -5),
      oidcToken('repo:acme/web', 'elsewhere'),
    ]) {
      const error = await failure(
        oidcAuth({ identityId: IDS.oidc, jwt }, {}).login(contextFor(setup.emulator)),
        'AUTH_FAILED',
        [jwt],
      );
      expect(error.status).toBe(401);
    }
  });
});

describe('jwtAuth', () => {
  it('logs in with the jwt option, the file option and the INFISICAL_JWT_AUTH_* variables', async () => {
    const jwt = setup.emulator.issueJwtToken({ sub: 'ci-job' });
    await loginAndRead(jwtAuth({ identityId: IDS.jwt, jwt }, {}), setup.emulator);
    const file = setup.files.write('jwt-token', jwt);
    await loginAndRead(jwtAuth({ identityId: IDS.jwt, jwtFilePath: file }, {}), setup.emulator);
    await loginAndRead(
      jwtAuth({}, { INFISICAL_JWT_AUTH_IDENTITY_ID: IDS.jwt, INFISICAL_JWT_AUTH_JWT: jwt }),
      setup.emulator,
    );
    await loginAndRead(
      jwtAuth({}, { INFISICAL_JWT_AUTH_IDENTITY_ID: IDS.jwt, INFISICAL_JWT_AUTH_JWT_FILE: file }),
      setup.emulator,
    );
    expect(setup.emulator.requestCount('POST /api/v1/auth/jwt-auth/login')).toBe(4);
  });

  it('refuses another subject (AUTH_FAILED) and a missing file (CREDENTIALS_UNAVAILABLE)', async () => {
    const other = setup.emulator.issueJwtToken({ sub: 'someone-else' });
    await failure(
      jwtAuth({ identityId: IDS.jwt, jwt: other }, {}).login(contextFor(setup.emulator)),
      'AUTH_FAILED',
      [other],
    );
    const missing = await failure(
      jwtAuth({ identityId: IDS.jwt, jwtFilePath: '/nonexistent/jwt' }, {}).login(
        contextFor(setup.emulator),
      ),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(missing.message).toContain('/nonexistent/jwt');
  });

  it('checks the options when built, quoting no token', () => {
    expect(() => jwtAuth({ identityId: IDS.jwt }, {})).toThrow(/jwt or jwtFilePath/);
    expect(() => jwtAuth({ identityId: IDS.jwt, jwt: 'fake token with spaces' }, {})).toThrow(
      /not a token/,
    );
    try {
      jwtAuth({ identityId: IDS.jwt, jwt: 'fake token with spaces' }, {});
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain('fake token');
    }
  });
});
