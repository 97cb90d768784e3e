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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
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
      expiresIn: 2592000,
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
    await sleep(3100);
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
    await sleep(3100);
    const res = await api.call('POST', '/api/v1/auth/token/renew', {
      body: { accessToken: token },
    });
    expect(res.body).toMatchObject({ statusCode: 403, error: 'TokenError' });
  });

  it('renews into a working token, capped by the remaining max TTL, until the budget is spent', async () => {
    const login = await api.call('POST', '/api/v1/auth/universal-auth/login', {
      body: { clientId: 'short-id', clientSecret: 'short-secret' },
    });
    expect(login.body).toMatchObject({ expiresIn: 2, accessTokenMaxTTL: 4 });
    let current: string = login.body.accessToken;
    const ttls: number[] = [];
    let refusal: { status: number; body: { message: string } } | undefined;
    for (let i = 0; i < 8 && !refusal; i++) {
      await sleep(900);
      const res = await api.call('POST', '/api/v1/auth/token/renew', {
        body: { accessToken: current },
      });
      if (res.status !== 200) {
        refusal = res;
        break;
      }
      ttls.push(res.body.expiresIn);
      current = res.body.accessToken;
      expect((await listWith(current)).status).toBe(200);
    }
    expect(ttls.length).toBeGreaterThanOrEqual(3);
    expect(ttls[0]).toBe(2);
    expect(Math.min(...ttls)).toBeLessThan(2);
    expect(refusal).toMatchObject({
      status: 401,
      body: { message: 'Cannot renew: identity access token has reached its max TTL' },
    });
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
