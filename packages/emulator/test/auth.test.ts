import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.ts';
import { client, PROJECT_ID, startTestEmulator } from './helpers.ts';

let emulator: Emulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  emulator = await startTestEmulator();
  api = client(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const listWith = (token?: string) =>
  api.call('GET', '/api/v3/secrets/raw', {
    token,
    query: { workspaceId: PROJECT_ID, environment: 'dev' },
  });

describe('universal auth', () => {
  it('logs in with the login response shape', async () => {
    const res = await api.call('POST', '/api/v1/auth/universal-auth/login', {
      body: { clientId: ' admin-id ', clientSecret: 'admin-secret' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.stringMatching(/^ey[\w-]+\.[\w-]+\.[\w-]+$/),
      expiresIn: 3600,
      accessTokenMaxTTL: 2592000,
      tokenType: 'Bearer',
    });
    expect((await listWith(res.body.accessToken)).status).toBe(200);
  });

  it('refuses bad credentials with 401 and a missing field with 422', async () => {
    const bad = await api.call('POST', '/api/v1/auth/universal-auth/login', {
      body: { clientId: 'admin-id', clientSecret: 'wrong' },
    });
    expect(bad.body).toMatchObject({
      statusCode: 401,
      message: 'Invalid credentials',
      error: 'UnauthorizedError',
    });
    const missing = await api.call('POST', '/api/v1/auth/universal-auth/login', {
      body: { clientId: 'admin-id' },
    });
    expect(missing.status).toBe(422);
  });
});

describe('bearer tokens', () => {
  it('answers 401 without a token and 403 TokenError for malformed or forged ones', async () => {
    expect((await listWith()).body).toMatchObject({
      statusCode: 401,
      message: 'Token missing',
      error: 'UnauthorizedError',
    });
    const malformed = await listWith('not-a-jwt');
    expect(malformed.body).toMatchObject({ statusCode: 403, error: 'TokenError' });
    expect(malformed.body.message).toContain('malformed');
    const real = await api.login();
    const [head, payload] = real.split('.');
    const forged = await listWith(`${head}.${payload}.c2lnbmF0dXJlLW9mLWFub3RoZXIta2V5`);
    expect(forged.body).toMatchObject({
      statusCode: 403,
      message: 'invalid signature',
      error: 'TokenError',
    });
  });

  it('expires a token after its TTL with 403 "Your token has expired"', async () => {
    const token = await api.login('short-id', 'short-secret');
    expect((await listWith(token)).status).toBe(200);
    emulator.advanceClock(3100);
    expect((await listWith(token)).body).toMatchObject({
      statusCode: 403,
      message: 'Your token has expired. Please re-authenticate.',
      error: 'TokenError',
    });
  });

  it('counts uses against accessTokenNumUsesLimit', async () => {
    const token = await api.login('uses-id', 'uses-secret');
    for (let i = 0; i < 3; i++) expect((await listWith(token)).status).toBe(200);
    expect((await listWith(token)).status).toBe(401);
  });

  it('accepts literal seed tokens and tokens issued through the control API', async () => {
    const issued = emulator.issueToken('viewer');
    expect((await listWith(issued.accessToken)).status).toBe(200);
  });
});

describe('renew and revoke', () => {
  it('refuses to renew an expired token with 403, like the real server (node-sdk-v2#14)', async () => {
    const token = await api.login('short-id', 'short-secret');
    emulator.advanceClock(3100);
    const res = await api.call('POST', '/api/v1/auth/token/renew', {
      body: { accessToken: token },
    });
    expect(res.body).toMatchObject({ statusCode: 403, error: 'TokenError' });
  });

  it('renews inside the max TTL; a renew that would pass it is refused and deletes the token', async () => {
    const login = await api.call('POST', '/api/v1/auth/universal-auth/login', {
      body: { clientId: 'renew-id', clientSecret: 'renew-secret' },
    });
    expect(login.body).toMatchObject({ expiresIn: 60, accessTokenMaxTTL: 100 });
    emulator.advanceClock(30_000);
    const renewed = await api.call('POST', '/api/v1/auth/token/renew', {
      body: { accessToken: login.body.accessToken },
    });
    expect(renewed.body).toMatchObject({
      expiresIn: 60,
      accessTokenMaxTTL: 100,
      tokenType: 'Bearer',
    });
    const current: string = renewed.body.accessToken;
    expect((await listWith(current)).status).toBe(200);
    // 50 s after login: now + TTL (110 s) would pass the max TTL (100 s).
    emulator.advanceClock(20_000);
    const refused = await api.call('POST', '/api/v1/auth/token/renew', {
      body: { accessToken: current },
    });
    expect(refused).toMatchObject({
      status: 401,
      body: { message: 'Failed to renew MI access token past its Max TTL expiration' },
    });
    expect((await listWith(current)).body).toMatchObject({
      statusCode: 401,
      message: 'No identity access token found',
    });
  });

  it('refuses every renew with the default TTL (equal to the max TTL), as the server does', async () => {
    const login = await api.call('POST', '/api/v1/auth/universal-auth/login', {
      body: { clientId: 'viewer-id', clientSecret: 'viewer-secret' },
    });
    expect(login.body).toMatchObject({ expiresIn: 2592000, accessTokenMaxTTL: 2592000 });
    emulator.advanceClock(1);
    const refused = await api.call('POST', '/api/v1/auth/token/renew', {
      body: { accessToken: login.body.accessToken },
    });
    expect(refused.status).toBe(401);
    expect((await listWith(login.body.accessToken)).status).toBe(401);
  });

  it('revokes a token', async () => {
    const token = await api.login();
    const res = await api.call('POST', '/api/v1/auth/token/revoke', {
      body: { accessToken: token },
    });
    expect(res.body).toEqual({ message: 'Successfully revoked access token' });
    expect((await listWith(token)).status).toBe(401);
    expect(
      (await api.call('POST', '/api/v1/auth/token/renew', { body: { accessToken: token } })).status,
    ).toBe(401);
  });
});
