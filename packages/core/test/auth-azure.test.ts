import type { Emulator } from '@infisical/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { azureAuth } from '../src/auth/azure.ts';
import {
  contextFor,
  deadEndpoint,
  failure,
  IDS,
  loginAndRead,
  startAuthEmulator,
} from './auth-helpers.ts';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startAuthEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const IMDS = 'GET /_cloud/azure/metadata/identity/oauth2/token';

describe('azureAuth', () => {
  it('logs in with the managed identity token, fetched at each login', async () => {
    const method = azureAuth(
      { identityId: IDS.azure, metadataEndpoint: emulator.cloudEndpoints.azureImds },
      {},
    );
    await loginAndRead(method, emulator);
    await loginAndRead(method, emulator);
    expect(emulator.requestCount(IMDS)).toBe(2);
  });

  it('reads the identity id from INFISICAL_AZURE_AUTH_IDENTITY_ID', async () => {
    const env = { INFISICAL_AZURE_AUTH_IDENTITY_ID: IDS.azure };
    await loginAndRead(
      azureAuth({ metadataEndpoint: emulator.cloudEndpoints.azureImds }, env),
      emulator,
    );
  });

  it('maps a token for another resource to AUTH_FAILED (the server answers 403 TokenError)', async () => {
    const method = azureAuth(
      {
        identityId: IDS.azure,
        resource: 'https://vault.azure.net',
        metadataEndpoint: emulator.cloudEndpoints.azureImds,
      },
      {},
    );
    const error = await failure(method.login(contextFor(emulator)), 'AUTH_FAILED');
    expect(error.status).toBe(403);
    expect(JSON.stringify(error)).not.toMatch(/eyJ/);
  });

  it('fails with CREDENTIALS_UNAVAILABLE naming the metadata endpoint when it is down or refuses', async () => {
    const dead = await deadEndpoint();
    const down = await failure(
      azureAuth({ identityId: IDS.azure, metadataEndpoint: dead }, {}).login(contextFor(emulator)),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(down.message).toContain(`${dead}/metadata/identity/oauth2/token (ECONNREFUSED)`);
    emulator.injectFault({
      route: IMDS,
      status: 500,
      body: { error: 'server_error', error_description: 'IMDS is restarting' },
    });
    const refused = await failure(
      azureAuth(
        { identityId: IDS.azure, metadataEndpoint: emulator.cloudEndpoints.azureImds },
        {},
      ).login(contextFor(emulator)),
      'CREDENTIALS_UNAVAILABLE',
    );
    expect(refused.message).toContain('(HTTP 500: IMDS is restarting)');
  });

  it('needs the identity id', () => {
    expect(() => azureAuth({}, {})).toThrow(/INFISICAL_AZURE_AUTH_IDENTITY_ID/);
  });
});
