import type { Emulator } from '@infisical/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InfisicalClient, loadSecrets } from '../src/index.ts';
import { deadEndpoint } from './auth-helpers.ts';
import { clientFor, FAST_RETRY, LIST, LOGIN, PROJECT_ID, startCoreEmulator } from './helpers.ts';

const REVOKE = 'POST /api/v1/auth/token/revoke';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startCoreEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

/** A `fetch` that remembers the access tokens logins answered (to try them afterwards). */
function recordingFetch(): { fetch: typeof fetch; tokens: string[] } {
  const tokens: string[] = [];
  return {
    tokens,
    fetch: async (input, init) => {
      const response = await globalThis.fetch(input, init);
      if (String(input).endsWith('/universal-auth/login') && response.ok) {
        tokens.push(((await response.clone().json()) as { accessToken: string }).accessToken);
      }
      return response;
    },
  };
}

/** The status a list request with `token` gets now. */
async function listStatus(token: string): Promise<number> {
  const query = `workspaceId=${PROJECT_ID}&environment=dev`;
  const response = await fetch(`${emulator.url}/api/v3/secrets/raw?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status;
}

describe('close() revokes the token it obtained by login', () => {
  it('revokes once; the token is refused afterwards', async () => {
    const recorder = recordingFetch();
    const client = clientFor(emulator, { fetch: recorder.fetch });
    await client.getSecret('DB_HOST');
    const [token] = recorder.tokens as [string];
    expect(await listStatus(token)).toBe(200);

    await client.close();
    await client.close();
    expect(emulator.requestCount(REVOKE)).toBe(1);
    expect(emulator.requestCount(LOGIN)).toBe(1);
    expect(await listStatus(token)).toBe(401);
  });

  it('revokes through the handle too (loadSecrets, then close)', async () => {
    const recorder = recordingFetch();
    const secrets = await loadSecrets({
      siteUrl: emulator.url,
      auth: { universalAuth: { clientId: 'app-id', clientSecret: 'app-secret-fake' } },
      projectId: PROJECT_ID,
      environment: 'dev',
      env: {},
      refreshInterval: 0,
      fetch: recorder.fetch,
    });
    expect(secrets.get('DB_PORT')).toBe('5432');
    await secrets.close();
    expect(emulator.requestCount(REVOKE)).toBe(1);
    expect(await listStatus(recorder.tokens[0] as string)).toBe(401);
  });

  it('never revokes a token it was given, nor logs in to revoke', async () => {
    const given = new InfisicalClient({
      siteUrl: emulator.url,
      auth: { accessToken: 'static-token-fake-0001' },
      projectId: PROJECT_ID,
      environment: 'dev',
      env: {},
      refreshInterval: 0,
    });
    await given.getSecret('DB_HOST');
    await given.close();
    const unused = clientFor(emulator);
    await unused.close();
    expect(emulator.requestCount(REVOKE)).toBe(0);
    expect(emulator.requestCount(LOGIN)).toBe(0);
    expect(await listStatus('static-token-fake-0001')).toBe(200);
  });

  it('finishes without throwing when Infisical hangs or is gone', async () => {
    const client = clientFor(emulator, { timeout: 300 });
    await client.getSecret('DB_HOST');
    emulator.injectFault({ route: REVOKE, latencyMs: 60_000 });
    // Bounded by the client's timeout here (and by 2 s by default): the test would time out otherwise.
    await expect(client.close()).resolves.toBeUndefined();
    expect(emulator.requestCount(REVOKE)).toBe(0);

    const gone = new InfisicalClient({
      siteUrl: emulator.url,
      auth: { universalAuth: { clientId: 'app-id', clientSecret: 'app-secret-fake' } },
      projectId: PROJECT_ID,
      environment: 'dev',
      env: {},
      refreshInterval: 0,
      retry: FAST_RETRY,
      fetch: async (input, init) => {
        // Logged in against the emulator; the revoke goes to a port where nothing listens.
        const url = String(input).endsWith('/token/revoke')
          ? `${await deadEndpoint()}/api/v1/auth/token/revoke`
          : input;
        return globalThis.fetch(url, init);
      },
    });
    await gone.getSecret('DB_HOST');
    await expect(gone.close()).resolves.toBeUndefined();
    emulator.clearFaults();
  });

  it('aborts a read in flight first (CLOSED), then revokes', async () => {
    const client = clientFor(emulator);
    await client.getSecret('DB_HOST');
    emulator.injectFault({ route: LIST, latencyMs: 60_000 });
    const read = client.refresh();
    const closing = client.close();
    await read;
    await closing;
    expect(emulator.requestCount(REVOKE)).toBe(1);
    emulator.clearFaults();
  });
});
