/**
 * Universal Auth client secrets: declared in the seed or created over the API with a uses limit
 * and a TTL, listed, revoked; what a used-up, expired or revoked client secret does to logins and
 * to the access tokens issued with it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator, SeedInput } from '../src/index.ts';
import { startEmulator } from '../src/index.ts';
import { client } from './helpers.ts';

const PROJECT = '3c1d2e4f-5a6b-4c7d-8e9f-0000000000c5';
const seed: SeedInput = {
  projects: [{ slug: 'ua-project', id: PROJECT, environments: ['dev'] }],
  identities: [
    {
      name: 'admin',
      id: 'a1a1a1a1-0000-4000-8000-00000000a1a1',
      universalAuth: {
        clientId: 'ua-admin-id',
        clientSecret: 'ua-admin-secret',
        clientSecrets: [
          { clientSecret: 'seed-one-use', description: 'one login', numUsesLimit: 1 },
          { clientSecret: 'seed-short', description: 'ten seconds', ttl: 10 },
        ],
      },
      projects: { 'ua-project': 'admin' },
    },
    {
      name: 'worker',
      id: 'b2b2b2b2-0000-4000-8000-00000000b2b2',
      universalAuth: { clientId: 'ua-worker-id' },
      projects: { 'ua-project': 'viewer' },
    },
  ],
};
const WORKER = 'b2b2b2b2-0000-4000-8000-00000000b2b2';

let emulator: Emulator;
let api: ReturnType<typeof client>;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed });
  api = client(emulator);
});
afterAll(() => emulator.close());
beforeEach(async () => {
  emulator.reset();
  token = await api.login('ua-admin-id', 'ua-admin-secret');
});

const login = (clientId: string, clientSecret: string) =>
  api.call('POST', '/api/v1/auth/universal-auth/login', { body: { clientId, clientSecret } });
const secretsPath = (identityId: string) =>
  `/api/v1/auth/universal-auth/identities/${identityId}/client-secrets`;
const listSecrets = (accessToken: string) =>
  api.call('GET', '/api/v3/secrets/raw', {
    token: accessToken,
    query: { workspaceId: PROJECT, environment: 'dev' },
  });

describe('seed client secrets', () => {
  it('allows as many logins as numUsesLimit, then refuses, then no longer knows the secret', async () => {
    expect((await login('ua-admin-id', 'seed-one-use')).status).toBe(200);
    expect((await login('ua-admin-id', 'seed-one-use')).body).toMatchObject({
      statusCode: 401,
      message: 'Access denied due to client secret usage limit reached',
    });
    expect((await login('ua-admin-id', 'seed-one-use')).body.message).toBe('Invalid credentials');
  });

  it('expires a client secret after its TTL', async () => {
    expect((await login('ua-admin-id', 'seed-short')).status).toBe(200);
    emulator.advanceClock(11_000);
    expect((await login('ua-admin-id', 'seed-short')).body.message).toBe(
      'Access denied due to expired client secret',
    );
    expect((await login('ua-admin-id', 'seed-short')).body.message).toBe('Invalid credentials');
  });

  it('refuses an identity without a client secret, and an unknown client id', async () => {
    expect((await login('ua-worker-id', 'anything')).body.message).toBe('Invalid credentials');
    expect((await login('no-such-client', 'x')).body).toMatchObject({
      statusCode: 404,
      message: 'No identity with specified client ID was found',
    });
  });
});

describe('client secrets over the API', () => {
  it('creates one (shown once), lists it by prefix, logs in with it and revokes it', async () => {
    const created = await api.call('POST', secretsPath(WORKER), {
      token,
      body: { description: 'ci', numUsesLimit: 5, ttl: 3600 },
    });
    expect(created.status).toBe(200);
    const secret: string = created.body.clientSecret;
    expect(created.body.clientSecretData).toMatchObject({
      description: 'ci',
      clientSecretNumUses: 0,
      clientSecretNumUsesLimit: 5,
      clientSecretTTL: 3600,
      isClientSecretRevoked: false,
      clientSecretPrefix: secret.slice(0, 4),
    });
    expect(JSON.stringify(created.body.clientSecretData)).not.toContain(secret);
    const workerToken = (await login('ua-worker-id', secret)).body.accessToken as string;
    expect((await listSecrets(workerToken)).status).toBe(200);

    const listed = await api.call('GET', secretsPath(WORKER), { token });
    expect(listed.body.clientSecretData).toHaveLength(1);
    expect(listed.body.clientSecretData[0]).toMatchObject({ clientSecretNumUses: 1 });

    const id = created.body.clientSecretData.id as string;
    const revoked = await api.call('POST', `${secretsPath(WORKER)}/${id}/revoke`, { token });
    expect(revoked.body.clientSecretData).toMatchObject({ id, isClientSecretRevoked: true });
    expect((await login('ua-worker-id', secret)).body.message).toBe('Invalid credentials');
    // A token issued before the revocation keeps working.
    expect((await listSecrets(workerToken)).status).toBe(200);
    const after = await api.call('GET', secretsPath(WORKER), { token });
    expect(after.body.clientSecretData).toEqual([]);
  });

  it('validates limits and names unknown identities', async () => {
    const negative = await api.call('POST', secretsPath(WORKER), {
      token,
      body: { numUsesLimit: -1 },
    });
    expect(negative.status).toBe(422);
    const tooLong = await api.call('POST', secretsPath(WORKER), {
      token,
      body: { ttl: 315360001 },
    });
    expect(tooLong.status).toBe(422);
    const unknown = await api.call('GET', secretsPath('c3c3c3c3-0000-4000-8000-00000000c3c3'), {
      token,
    });
    expect(unknown.body).toMatchObject({ statusCode: 404, message: 'Failed to find identity' });
    const withoutToken = await api.call('GET', secretsPath(WORKER));
    expect(withoutToken.status).toBe(401);
  });
});
