import type { SeedInput } from '../src/index.ts';
import { type Emulator, startEmulator } from '../src/index.ts';

/** The project of the test seed, laid out like the fixture behind `shared/api/real-responses`. */
export const PROJECT_ID = '0b7c4d2e-1f3a-4b5c-8d6e-000000000001';
export const OTHER_PROJECT_ID = '0b7c4d2e-1f3a-4b5c-8d6e-000000000002';

/** A seed with the real-responses fixture, plus users, viewers, tags, versions and nested imports. */
export const testSeed: SeedInput = {
  projects: [
    {
      slug: 'sdk-test-project',
      id: PROJECT_ID,
      environments: [
        {
          slug: 'dev',
          secrets: {
            '/': {
              DB_HOST: { value: 'localhost', comment: 'database host', tags: ['db'] },
              DB_PORT: '5432',
              DB_URL: 'postgres://${DB_HOST}:${DB_PORT}/app',
              API_KEY: {
                value: 'dev-api-key-123',
                previousValues: ['dev-api-key-001', 'dev-api-key-002'],
              },
              CROSS_REF: 'nested=${dev.backend.NESTED_SECRET}',
            },
            '/backend': { NESTED_SECRET: 'nested-value' },
          },
          personalSecrets: { alice: { '/': { DB_HOST: 'alice-laptop' } } },
          imports: { '/': [{ environment: 'staging', path: '/' }] },
        },
        {
          slug: 'staging',
          secrets: {
            '/': { SHARED_FROM_STAGING: 'staging-value', DB_HOST: 'staging-db.internal' },
          },
        },
        { slug: 'prod', secrets: { '/': { DB_HOST: 'prod-db.internal' } } },
      ],
    },
    { slug: 'other-project', id: OTHER_PROJECT_ID, environments: ['dev'] },
  ],
  identities: [
    {
      name: 'admin',
      // TTL below the max TTL: with the defaults (both 30 days) every renew is refused, as on the server.
      universalAuth: { clientId: 'admin-id', clientSecret: 'admin-secret', accessTokenTTL: 3600 },
      projects: { 'sdk-test-project': 'admin' },
    },
    {
      name: 'viewer',
      universalAuth: { clientId: 'viewer-id', clientSecret: 'viewer-secret' },
      projects: { 'sdk-test-project': 'viewer' },
    },
    {
      name: 'blocked',
      universalAuth: { clientId: 'blocked-id', clientSecret: 'blocked-secret' },
      projects: { 'sdk-test-project': 'no-access' },
    },
    {
      name: 'alice',
      user: true,
      universalAuth: { clientId: 'alice-id', clientSecret: 'alice-secret' },
      projects: { 'sdk-test-project': 'member' },
    },
    {
      name: 'short-lived',
      universalAuth: {
        clientId: 'short-id',
        clientSecret: 'short-secret',
        accessTokenTTL: 2,
        accessTokenMaxTTL: 4,
      },
      projects: { 'sdk-test-project': 'admin' },
    },
    {
      name: 'renewable',
      universalAuth: {
        clientId: 'renew-id',
        clientSecret: 'renew-secret',
        accessTokenTTL: 60,
        accessTokenMaxTTL: 100,
      },
      projects: { 'sdk-test-project': 'admin' },
    },
    {
      name: 'three-uses',
      universalAuth: {
        clientId: 'uses-id',
        clientSecret: 'uses-secret',
        accessTokenNumUsesLimit: 3,
      },
      projects: { 'sdk-test-project': 'admin' },
    },
  ],
};

/** A JSON HTTP call against the emulator. */
export interface Call {
  status: number;
  body: any;
  headers: Headers;
}

/**
 * A small client for tests: JSON in and out, optional bearer token. Calls under `/_emulator` carry
 * the emulator's control token unless `token` says otherwise (`''`: none).
 */
export function client(emulator: Emulator) {
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; query?: Record<string, string> } = {},
  ): Promise<Call> => {
    const url = new URL(path, emulator.url);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const token =
      options.token ?? (path.startsWith('/_emulator') ? emulator.controlToken : undefined);
    const res = await fetch(url, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  const login = async (clientId = 'admin-id', clientSecret = 'admin-secret'): Promise<string> => {
    const res = await call('POST', '/api/v1/auth/universal-auth/login', {
      body: { clientId, clientSecret },
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
    return res.body.accessToken;
  };
  return { call, login };
}

/** Starts an emulator with the test seed for a test file. */
export async function startTestEmulator(seed: SeedInput = testSeed): Promise<Emulator> {
  return startEmulator({ port: 0, seed });
}
