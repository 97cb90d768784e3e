import { describe, expect, it } from 'vitest';
import { azureAuth } from '../src/auth/azure.ts';
import {
  contextFor,
  deadEndpoint,
  failure,
  IDS,
  loginAndRead,
  useAuthEmulator,
} from './auth-helpers.ts';

const setup = useAuthEmulator();

const IMDS = 'GET /_cloud/azure/metadata/identity/oauth2/token';

describe('azureAuth', () => {
  it('logs in with the managed identity token, fetched at each login', async () => {
    const method = azureAuth(
      { identityId: IDS.azure, metadataEndpoint: setup.emulator.cloudEndpoints.azureImds },
      {},
    );
    await loginAndRead(method, setup.emulator);
    await loginAndRead(method, setup.emulator);
    expect(setup.emulator.requestCount(IMDS)).toBe(2);
  });

  it('reads the identity id from INFISICAL_AZURE_AUTH_IDENTITY_ID', async () => {
    const env = { INFISICAL_AZURE_AUTH_IDENTITY_ID: IDS.azure };
    await loginAndRead(
      azureAuth({ metadataEndpoint: setup.emulator.cloudEndpoints.azureImds }, env),
      setup.emulator,
    );
  });

  it('maps a token for another resource to AUTH_FAILED (the server answers 403 TokenError)', async () => {
    const method = azureAuth(
      {
        identityId: IDS.azure,
        resource: 'https://vault.azure.net',
        metadataEndpoint: setup.emulator.cloudEndpoints.azureImds,
      },
      {},
    );
    const error = await failure(method.login(contextFor(setup.emulator)), 'AUTH_FAILED');
    expect(error.status).toBe(403);
    expect(JSON.stringify(error)).not.toMatch(/eyJ/);
  });

  it('fails with CREDENTIALS_UNAVAILABLE naming the metadata endpoint when it is down or refuses', async () => {
    const dead = await deadEndpoint();
    const down = await failure(
      azureAuth({ identityId: IDS.azure, metadataEndpoint: dead }, {}).login(
        contextFor(setup.emulator),
      ),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(down.message).toContain(`${dead}/metadata/identity/oauth2/token (ECONNREFUSED)`);
    setup.emulator.injectFault({
      route: IMDS,
      status: 500,
      body: { error: 'server_error', error_description: 'IMDS is restarting' },
    });
    const refused = await failure(
      azureAuth(
        { identityId: IDS.azure, metadataEndpoint: setup.emulator.cloudEndpoints.azureImds },
        {},
      ).login(contextFor(setup.emulator)),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(refused.message).toContain('(HTTP 500: IMDS is restarting)');
  });

  it('needs the identity id', () => {
    expect(() => azureAuth({}, {})).toThrow(/INFISICAL_AZURE_AUTH_IDENTITY_ID/);
  });
});
