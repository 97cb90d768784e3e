import { type Emulator, type SeedInput, startEmulator } from '@infisical/emulator';
import { InfisicalClient, type InfisicalClientOptions } from '../src/index.ts';

/** Project of the core test seed. */
export const PROJECT_ID = '3c1d6f0a-0000-4000-8000-00000000c0e1';

/** A project with imports, references, a personal override, and identities of every kind the tests need. */
export const coreSeed: SeedInput = {
  projects: [
    {
      slug: 'core-tests',
      id: PROJECT_ID,
      environments: [
        {
          slug: 'dev',
          secrets: {
            '/': {
              DB_HOST: 'localhost',
              DB_PORT: '5432',
              DB_PASSWORD: 'fake-db-password-1',
              DATABASE_URL: 'postgres://app:${DB_PASSWORD}@${DB_HOST}:${DB_PORT}/app',
              API_TOKEN: {
                value: 'fake-api-token-v3',
                previousValues: ['fake-api-token-v1', 'fake-api-token-v2'],
              },
              VITE_PUBLIC_TITLE: 'Core tests',
              SHADOWED: 'local-wins',
              ...Object.fromEntries(
                Array.from({ length: 50 }, (_, i) => [`KEY_${i}`, `fake-value-${i}`]),
              ),
            },
            '/nested': { NESTED_ONLY: 'from-nested' },
          },
          personalSecrets: { dana: { '/': { DB_HOST: 'dana-laptop' } } },
          imports: {
            '/': [
              { environment: 'staging', path: '/' },
              { environment: 'prod', path: '/shared' },
            ],
          },
        },
        {
          slug: 'staging',
          secrets: {
            '/': {
              SHADOWED: 'from-staging',
              BOTH_IMPORTS: 'first-import',
              ONLY_STAGING: 'staging-only',
            },
          },
        },
        { slug: 'prod', secrets: { '/shared': { BOTH_IMPORTS: 'last-import-wins' } } },
      ],
    },
  ],
  identities: [
    {
      name: 'app',
      universalAuth: { clientId: 'app-id', clientSecret: 'app-secret-fake' },
      projects: { 'core-tests': 'admin' },
    },
    {
      name: 'reader',
      universalAuth: { clientId: 'reader-id', clientSecret: 'reader-secret-fake' },
      projects: { 'core-tests': 'viewer' },
    },
    {
      name: 'dana',
      user: true,
      universalAuth: { clientId: 'dana-id', clientSecret: 'dana-secret-fake' },
      projects: { 'core-tests': 'member' },
    },
    {
      name: 'short',
      universalAuth: {
        clientId: 'short-id',
        clientSecret: 'short-secret-fake',
        // Tokens live a minute (whole-second JWT expiry is a rounding error at that length); the
        // max-TTL budget allows one renew per login (see the token test in resilience.test.ts).
        accessTokenTTL: 60,
        accessTokenMaxTTL: 112,
      },
      projects: { 'core-tests': 'admin' },
    },
    {
      name: 'static',
      accessTokens: ['static-token-fake-0001'],
      projects: { 'core-tests': 'admin' },
    },
  ],
};

/** Starts the emulator with the core seed. */
export function startCoreEmulator(seed: SeedInput = coreSeed): Promise<Emulator> {
  return startEmulator({ port: 0, seed });
}

/**
 * Quick retries and no cooldown, so a test about something else is not slowed by a fault it
 * injected; the robustness tests turn the cooldown on.
 */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5, maxCooldownMs: 0 } as const;

/**
 * A client for the emulator, logged in as `app` unless told otherwise; no env fallbacks, no
 * background refresh unless asked.
 */
export function clientFor(
  emulator: Emulator,
  options: InfisicalClientOptions = {},
): InfisicalClient {
  return new InfisicalClient({
    siteUrl: emulator.url,
    auth: { universalAuth: { clientId: 'app-id', clientSecret: 'app-secret-fake' } },
    projectId: PROJECT_ID,
    environment: 'dev',
    env: {},
    refreshInterval: 0,
    ...options,
    retry: { ...FAST_RETRY, ...options.retry },
  });
}

/** Route ids of the emulator's counters. */
export const LIST = 'GET /api/v3/secrets/raw';
export const LOGIN = 'POST /api/v1/auth/universal-auth/login';
export const RENEW = 'POST /api/v1/auth/token/renew';
