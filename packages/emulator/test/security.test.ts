import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialDigest, digestsEqual, safeEqual } from '../src/auth/constant-time.ts';
import { type Emulator, startEmulator } from '../src/index.ts';
import { client, PROJECT_ID, startTestEmulator, testSeed } from './helpers.ts';

/** A raw HTTP exchange, with headers that `fetch` would not let a test forge (Host, Origin, Sec-Fetch-*). */
interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  text: string;
}

function raw(
  emulator: Emulator,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Raw> {
  const { port } = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers, setHost: !('host' in headers) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let emulator: Emulator;
let bearer: Record<string, string>;

beforeAll(async () => {
  emulator = await startTestEmulator();
  bearer = { authorization: `Bearer ${emulator.controlToken}` };
});
afterAll(() => emulator.close());

describe('the control token', () => {
  it('is generated per start, unguessable, and differs between emulators', async () => {
    const other = await startTestEmulator();
    try {
      expect(emulator.controlToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(other.controlToken).not.toBe(emulator.controlToken);
    } finally {
      await other.close();
    }
  });

  it('is required by every control route, with a 401 that says how to send it', async () => {
    for (const [method, path] of [
      ['GET', '/_emulator/health'],
      ['GET', '/_emulator/requests'],
      ['POST', '/_emulator/reset'],
      ['GET', '/_emulator/state'],
      ['GET', '/_emulator/events'],
      ['POST', '/_emulator/clock'],
      ['GET', '/_emulator/connection'],
      ['POST', '/_emulator/identities/admin/client-secret'],
      ['GET', '/_emulator/no-such-route'],
    ] as const) {
      const res = await raw(emulator, method, path);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'ControlTokenRequired' });
      expect(res.body.message).toContain('Authorization: Bearer <token>');
      expect(res.headers['www-authenticate']).toContain('Bearer');
    }
  });

  it('guards the clock: without the token it does not move, with it it does', async () => {
    const body = JSON.stringify({ advanceMs: 60_000 });
    const json = { 'content-type': 'application/json' };
    expect((await raw(emulator, 'POST', '/_emulator/clock', json, body)).status).toBe(401);
    const wrong = { ...json, authorization: `Bearer ${'x'.repeat(43)}` };
    expect((await raw(emulator, 'POST', '/_emulator/clock', wrong, body)).status).toBe(401);
    // advanceClock(0) reads the offset without moving it: the refused calls moved nothing.
    expect(emulator.advanceClock(0)).toBe(0);
    const moved = await raw(emulator, 'POST', '/_emulator/clock', { ...json, ...bearer }, body);
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ offsetMs: 60_000 });
    emulator.reset();
    expect(emulator.advanceClock(0)).toBe(0);
  });

  it('refuses a wrong token, its prefix, and a longer one; accepts the right one', async () => {
    const token = emulator.controlToken;
    for (const wrong of [`${token}x`, token.slice(0, -1), 'x'.repeat(43), `Basic ${token}`]) {
      const res = await raw(emulator, 'GET', '/_emulator/health', {
        authorization: wrong.startsWith('Basic') ? wrong : `Bearer ${wrong}`,
      });
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/control token is wrong|needs its token/);
    }
    expect((await raw(emulator, 'GET', '/_emulator/health', bearer)).status).toBe(200);
  });

  it('can be chosen (controlToken) and is checked when chosen', async () => {
    const chosen = await startEmulator({
      seed: testSeed,
      controlToken: 'a-chosen-control-token-0001',
    });
    try {
      expect(chosen.controlToken).toBe('a-chosen-control-token-0001');
      const ok = await raw(chosen, 'GET', '/_emulator/health', {
        authorization: 'Bearer a-chosen-control-token-0001',
      });
      expect(ok.status).toBe(200);
    } finally {
      await chosen.close();
    }
  });

  it('rejects a short, spaced or non-string controlToken with a message naming the option', async () => {
    for (const bad of ['short', 'has spaces in the token', 42, '']) {
      await expect(startEmulator({ seed: testSeed, controlToken: bad as string })).rejects.toThrow(
        /^controlToken must be a string of 16 to 512 visible ASCII characters/,
      );
    }
  });

  it('is not needed by the Infisical API or the programmatic controls', async () => {
    expect((await raw(emulator, 'GET', '/api/status')).status).toBe(200);
    expect(emulator.requests().total).toBeGreaterThan(0);
    emulator.clearRequests();
  });
});

describe('the Host check (DNS rebinding)', () => {
  it('answers loopback names on any port', async () => {
    for (const host of [
      '127.0.0.1',
      '127.0.0.1:1',
      'localhost',
      'LOCALHOST:8080',
      'localhost.',
      '[::1]',
      '[::1]:9',
    ]) {
      const res = await raw(emulator, 'GET', '/api/status', { host });
      expect(res.status, host).toBe(200);
    }
  });

  it('refuses any other name with 403, on the API, the control API and the UI', async () => {
    for (const host of [
      'evil.example',
      'evil.example:80',
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      '10.0.0.1',
    ]) {
      for (const path of ['/api/status', '/_emulator/health', '/_emulator/ui', '/']) {
        const res = await raw(emulator, 'GET', path, { host, ...bearer });
        expect(res.status, `${host} ${path}`).toBe(403);
        expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
        expect(res.body.message).toContain('--allowed-host');
      }
    }
  });

  it('refuses a login through a rebound name before it reaches the route', async () => {
    const res = await raw(
      emulator,
      'POST',
      '/api/v1/auth/universal-auth/login',
      { host: 'rebound.example:8080', 'content-type': 'application/json' },
      JSON.stringify({ clientId: 'admin-id', clientSecret: 'admin-secret' }),
    );
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('accessToken');
  });

  it('refuses a rebound name on every part of the API surface, old and new, before any route runs', async () => {
    const project = PROJECT_ID;
    for (const [method, path] of [
      ['GET', '/api/v3/secrets/raw'],
      ['GET', '/api/v4/secrets'],
      ['GET', '/api/v1/folders'],
      ['PATCH', '/api/v1/folders/some-folder'],
      ['GET', '/api/v1/secret-imports'],
      ['GET', '/api/v1/secret-imports/secrets/raw'],
      ['GET', `/api/v1/workspace/${project}/tags`],
      ['POST', `/api/v1/workspace/${project}/tags`],
      ['GET', `/api/v1/workspace/${project}`],
      ['GET', '/api/v2/workspace/sdk-test-project'],
      ['POST', `/api/v1/workspace/${project}/environments`],
      ['GET', '/api/v1/auth/universal-auth/identities/x/client-secrets'],
      ['POST', '/api/v1/auth/universal-auth/identities/x/client-secrets'],
      ['POST', '/api/v1/auth/token/renew'],
      ['GET', '/api/no-such-route'],
    ] as const) {
      emulator.clearRequests();
      const res = await raw(emulator, method, path, { host: 'rebound.example' });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error, `${method} ${path}`).toBe('Forbidden');
      const cross = await raw(emulator, method, path, { origin: 'https://evil.example' });
      expect(cross.status, `${method} ${path}`).toBe(403);
      // Refused before routing: never counted, never faulted.
      expect(emulator.requestCount()).toBe(0);
    }
  });

  it('answers names given in allowedHosts (a leading dot: the domain and its subdomains)', async () => {
    const allowed = await startEmulator({
      seed: testSeed,
      allowedHosts: ['emulator.internal', '.dev.test'],
    });
    try {
      for (const host of ['emulator.internal:8080', 'dev.test', 'api.dev.test', 'a.b.dev.test:1']) {
        expect((await raw(allowed, 'GET', '/api/status', { host })).status, host).toBe(200);
      }
      for (const host of ['emulator.internal.evil', 'xdev.test', 'internal']) {
        expect((await raw(allowed, 'GET', '/api/status', { host })).status, host).toBe(403);
      }
    } finally {
      await allowed.close();
    }
  });

  it('rejects allowedHosts entries with a scheme, a port, a path or the wrong type', async () => {
    for (const bad of [
      ['http://emulator.internal'],
      ['emulator:8080'],
      ['a/b'],
      ['a b'],
      [7],
      'x',
    ]) {
      await expect(
        startEmulator({ seed: testSeed, allowedHosts: bad as string[] }),
      ).rejects.toThrow(/^allowedHosts/);
    }
  });
});

describe('cross-site requests', () => {
  it('refuses a foreign Origin on every route, and "null"', async () => {
    for (const origin of [
      'https://evil.example',
      'http://127.0.0.1.evil.example',
      'null',
      'file://',
    ]) {
      for (const [method, path] of [
        ['GET', '/api/status'],
        ['POST', '/api/v1/auth/universal-auth/login'],
        ['GET', '/_emulator/state'],
        ['POST', '/_emulator/reset'],
      ] as const) {
        const res = await raw(emulator, method, path, { origin, ...bearer });
        expect(res.status, `${origin} ${method} ${path}`).toBe(403);
        expect(res.body.message).toContain('Cross-site request refused');
      }
    }
  });

  it('accepts its own origin and loopback origins on other ports', async () => {
    for (const origin of [
      emulator.url,
      'http://localhost:5173',
      'https://127.0.0.1',
      'http://[::1]:3000',
    ]) {
      expect(
        (await raw(emulator, 'GET', '/_emulator/health', { origin, ...bearer })).status,
        origin,
      ).toBe(200);
    }
  });

  it('refuses Sec-Fetch-Site: cross-site, except a top-level navigation to the UI pages', async () => {
    for (const path of ['/api/status', '/_emulator/health', '/_emulator/ui']) {
      const res = await raw(emulator, 'GET', path, { 'sec-fetch-site': 'cross-site', ...bearer });
      expect(res.status, path).toBe(403);
    }
    const navigate = {
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
    };
    expect((await raw(emulator, 'GET', '/_emulator/ui', navigate)).status).toBe(200);
    expect((await raw(emulator, 'GET', '/', navigate)).status).toBe(302);
    const framed = { ...navigate, 'sec-fetch-dest': 'iframe' };
    expect((await raw(emulator, 'GET', '/_emulator/ui', framed)).status).toBe(403);
    expect((await raw(emulator, 'GET', '/api/status', navigate)).status).toBe(403);
    for (const site of ['same-origin', 'same-site', 'none']) {
      const res = await raw(emulator, 'GET', '/_emulator/health', {
        'sec-fetch-site': site,
        ...bearer,
      });
      expect(res.status, site).toBe(200);
    }
  });

  it('refuses simple (form) POSTs to the control API, and they change nothing', async () => {
    emulator.setSecret({
      project: 'sdk-test-project',
      environment: 'dev',
      key: 'CSRF_PROBE',
      value: 'kept',
    });
    const forms = [
      ['application/x-www-form-urlencoded', 'a=1'],
      ['multipart/form-data; boundary=x', '--x--'],
      ['text/plain', '{"route":"*","status":503}'],
    ] as const;
    for (const [type, body] of forms) {
      // As a browser sends it from another site: Origin and Fetch metadata.
      const fromSite = await raw(
        emulator,
        'POST',
        '/_emulator/reset',
        { 'content-type': type, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
        body,
      );
      expect(fromSite.status, type).toBe(403);
      // Even with the token and without the browser's headers, a form body is refused.
      const withToken = await raw(
        emulator,
        'POST',
        '/_emulator/faults',
        { 'content-type': type, ...bearer },
        body,
      );
      expect(withToken.status, type).toBe(415);
      expect(withToken.body.message).toContain('application/json');
    }
    expect(emulator.faults()).toEqual([]);
    expect(
      emulator.secretValue({ project: 'sdk-test-project', environment: 'dev', key: 'CSRF_PROBE' })
        ?.value,
    ).toBe('kept');
  });

  it('leaves form bodies on the Infisical API to its routes (the Google OAuth stand-in takes them)', async () => {
    const res = await raw(
      emulator,
      'POST',
      '/_cloud/gcp/oauth2/token',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=nope',
    );
    expect(res.status).not.toBe(415);
    expect(res.status).not.toBe(403);
  });
});

describe('constant-time comparison', () => {
  it('compares equal, unequal, prefixed and empty credentials correctly', () => {
    expect(safeEqual('demo-client-secret', 'demo-client-secret')).toBe(true);
    expect(safeEqual('demo-client-secret', 'demo-client-secreT')).toBe(false);
    expect(safeEqual('demo-client', 'demo-client-secret')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('é', 'e\u0301')).toBe(false);
  });

  it('compares stored digests (client secrets) whole: equal, one digit off, malformed', () => {
    const stored = credentialDigest('admin-secret');
    expect(digestsEqual(credentialDigest('admin-secret'), stored)).toBe(true);
    const flipped = `${stored.slice(0, -1)}${stored.endsWith('0') ? '1' : '0'}`;
    expect(digestsEqual(flipped, stored)).toBe(false);
    expect(digestsEqual(credentialDigest('admin-secre'), stored)).toBe(false);
    expect(digestsEqual('', stored)).toBe(false);
  });

  it('logs in with a client secret exactly, and neither its prefix nor a longer string', async () => {
    const api = client(emulator);
    const login = (clientSecret: string) =>
      api.call('POST', '/api/v1/auth/universal-auth/login', {
        body: { clientId: 'admin-id', clientSecret },
      });
    expect((await login('admin-secret')).status).toBe(200);
    for (const wrong of ['admin-secre', 'admin-secret1', 'ADMIN-SECRET', ''])
      expect((await login(wrong)).status, wrong).toBe(401);
  });

  it('accepts a seed access token exactly, and neither its prefix nor a longer string', async () => {
    const seeded = await startEmulator({
      seed: {
        ...testSeed,
        identities: [
          ...(testSeed.identities ?? []),
          {
            name: 'token-only',
            accessTokens: ['seed-literal-token-0001'],
            projects: { 'sdk-test-project': 'admin' },
          },
        ],
      },
    });
    try {
      const api = client(seeded);
      const list = (token: string) =>
        api.call('GET', '/api/v3/secrets/raw', {
          token,
          query: { workspaceId: PROJECT_ID, environment: 'dev' },
        });
      expect((await list('seed-literal-token-0001')).status).toBe(200);
      expect((await list('seed-literal-token-000')).status).not.toBe(200);
      expect((await list('seed-literal-token-00011')).status).not.toBe(200);
    } finally {
      await seeded.close();
    }
  });
});
