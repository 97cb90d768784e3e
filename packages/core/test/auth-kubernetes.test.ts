import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KUBERNETES_TOKEN_PATH,
  kubernetesAuth,
  kubernetesTokenPath,
} from '../src/auth/kubernetes.ts';
import { contextFor, failure, IDS, loginAndRead, useAuthEmulator } from './auth-helpers.ts';

const setup = useAuthEmulator();

const token = (namespace = 'apps', name = 'web', expiresIn?: number) =>
  setup.emulator.issueKubernetesToken({
    namespace,
    name,
    ...(expiresIn === undefined ? {} : { expiresIn }),
  });

describe('kubernetesAuth', () => {
  it('logs in with the token option', async () => {
    await loginAndRead(
      kubernetesAuth({ identityId: IDS.kubernetes, token: token() }, {}),
      setup.emulator,
    );
  });

  it('reads the token file at each login, so a rotated token is used', async () => {
    const file = setup.files.write('sa-token', `${token()}\n`);
    const method = kubernetesAuth(
      { identityId: IDS.kubernetes, serviceAccountTokenPath: file },
      {},
    );
    await loginAndRead(method, setup.emulator);
    setup.files.write('sa-token', token('other', 'web'));
    const error = await failure(method.login(contextFor(setup.emulator)), 'AUTH_FAILED');
    expect(error.status).toBe(401);
    setup.files.write('sa-token', token());
    await loginAndRead(method, setup.emulator);
  });

  it('takes the path from the variable named by INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH_ENV_NAME', async () => {
    const file = setup.files.write('projected-token', token());
    const env = {
      INFISICAL_KUBERNETES_IDENTITY_ID: IDS.kubernetes,
      INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH_ENV_NAME: 'MY_SA_TOKEN_PATH',
      MY_SA_TOKEN_PATH: file,
    };
    await loginAndRead(kubernetesAuth({}, env), setup.emulator);
    expect(kubernetesTokenPath({})).toBe(DEFAULT_KUBERNETES_TOKEN_PATH);
    expect(
      kubernetesTokenPath({ INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH: '/direct' }),
    ).toBe('/direct');
    expect(
      kubernetesTokenPath({
        INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH_ENV_NAME: 'UNSET_VAR',
      }),
    ).toBe(DEFAULT_KUBERNETES_TOKEN_PATH);
  });

  it('maps an expired token or a namespace outside the allow list to AUTH_FAILED, never quoting the token', async () => {
    const expired = token('apps', 'web', -10);
    await failure(
      kubernetesAuth({ identityId: IDS.kubernetes, token: expired }, {}).login(
        contextFor(setup.emulator),
      ),
      'AUTH_FAILED',
      [expired],
    );
    const other = token('other', 'web');
    await failure(
      kubernetesAuth({ identityId: IDS.kubernetes, token: other }, {}).login(
        contextFor(setup.emulator),
      ),
      'AUTH_FAILED',
      [other],
    );
  });

  it('fails with CREDENTIALS_UNAVAILABLE for a missing or empty token file', async () => {
    const missing = await failure(
      kubernetesAuth(
        { identityId: IDS.kubernetes, serviceAccountTokenPath: '/nonexistent/token' },
        {},
      ).login(contextFor(setup.emulator)),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(missing.message).toContain('/nonexistent/token (ENOENT)');
    const empty = setup.files.write('empty-token', '\n');
    await failure(
      kubernetesAuth({ identityId: IDS.kubernetes, serviceAccountTokenPath: empty }, {}).login(
        contextFor(setup.emulator),
      ),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(setup.emulator.requestCount()).toBe(0);
  });
});
