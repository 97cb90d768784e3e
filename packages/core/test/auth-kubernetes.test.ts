import type { Emulator } from '@infisical/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_KUBERNETES_TOKEN_PATH,
  kubernetesAuth,
  kubernetesTokenPath,
} from '../src/auth/kubernetes.ts';
import {
  contextFor,
  failure,
  IDS,
  loginAndRead,
  startAuthEmulator,
  tempFiles,
} from './auth-helpers.ts';

let emulator: Emulator;
const files = tempFiles();

beforeAll(async () => {
  emulator = await startAuthEmulator();
});
afterAll(async () => {
  await emulator.close();
  files.cleanup();
});
beforeEach(() => emulator.reset());

const token = (namespace = 'apps', name = 'web', expiresIn?: number) =>
  emulator.issueKubernetesToken({
    namespace,
    name,
    ...(expiresIn === undefined ? {} : { expiresIn }),
  });

describe('kubernetesAuth', () => {
  it('logs in with the token option', async () => {
    await loginAndRead(
      kubernetesAuth({ identityId: IDS.kubernetes, token: token() }, {}),
      emulator,
    );
  });

  it('reads the token file at each login, so a rotated token is used', async () => {
    const file = files.write('sa-token', `${token()}\n`);
    const method = kubernetesAuth(
      { identityId: IDS.kubernetes, serviceAccountTokenPath: file },
      {},
    );
    await loginAndRead(method, emulator);
    files.write('sa-token', token('other', 'web'));
    const error = await failure(method.login(contextFor(emulator)), 'AUTH_FAILED');
    expect(error.status).toBe(401);
    files.write('sa-token', token());
    await loginAndRead(method, emulator);
  });

  it('takes the path from the variable named by INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH_ENV_NAME', async () => {
    const file = files.write('projected-token', token());
    const env = {
      INFISICAL_KUBERNETES_IDENTITY_ID: IDS.kubernetes,
      INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH_ENV_NAME: 'MY_SA_TOKEN_PATH',
      MY_SA_TOKEN_PATH: file,
    };
    await loginAndRead(kubernetesAuth({}, env), emulator);
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
        contextFor(emulator),
      ),
      'AUTH_FAILED',
      [expired],
    );
    const other = token('other', 'web');
    await failure(
      kubernetesAuth({ identityId: IDS.kubernetes, token: other }, {}).login(contextFor(emulator)),
      'AUTH_FAILED',
      [other],
    );
  });

  it('fails with CREDENTIALS_UNAVAILABLE for a missing or empty token file', async () => {
    const missing = await failure(
      kubernetesAuth(
        { identityId: IDS.kubernetes, serviceAccountTokenPath: '/nonexistent/token' },
        {},
      ).login(contextFor(emulator)),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(missing.message).toContain('/nonexistent/token (ENOENT)');
    const empty = files.write('empty-token', '\n');
    await failure(
      kubernetesAuth({ identityId: IDS.kubernetes, serviceAccountTokenPath: empty }, {}).login(
        contextFor(emulator),
      ),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(emulator.requestCount()).toBe(0);
  });
});
