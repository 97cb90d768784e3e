/**
 * @module core/test/runtimes/seed
 * The emulator seed of the runtime suite, and the facts the suite checks against it. Every value
 * is fake.
 */

/** The project's id. */
export const PROJECT_ID = '3c1d6f0a-0000-4000-8000-0000000a0b1e';

/** The secrets of `dev` at `/`. */
export const SECRETS = {
  API_URL: 'https://api.runtime.test',
  DATABASE_URL: 'postgres://app:fake-runtime-password@db.runtime.test:5432/app',
  SESSION_SECRET: 'fake-runtime-session-secret-7c2e',
};

/** Universal Auth credentials of the identity that may write. */
export const WRITER = { clientId: 'runtime-writer', clientSecret: 'fake-runtime-writer-secret' };

/** The read-only identity's name (the suite mints an access token for it). */
export const READER = 'runtime-reader';

/** An identity whose tokens live a few seconds, to see renewal happen. */
export const SHORT_LIVED = {
  credentials: { clientId: 'runtime-short', clientSecret: 'fake-runtime-short-secret' },
  // Long enough that the token's whole-second `exp` (up to 1 s short) outlives the renewal at
  // three quarters of its life, when the suite sleeps 80 % of it.
  ttlSeconds: 10,
};

/** The seed itself. */
export const seed = {
  projects: [
    {
      slug: 'runtimes',
      id: PROJECT_ID,
      environments: [{ slug: 'dev', secrets: { '/': SECRETS } }],
    },
  ],
  identities: [
    { name: 'runtime-writer', universalAuth: WRITER, projects: { runtimes: 'admin' } },
    {
      name: READER,
      universalAuth: { clientId: 'runtime-reader', clientSecret: 'fake-runtime-reader-secret' },
      projects: { runtimes: 'viewer' },
    },
    {
      name: 'runtime-short',
      universalAuth: {
        ...SHORT_LIVED.credentials,
        accessTokenTTL: SHORT_LIVED.ttlSeconds,
        accessTokenMaxTTL: 60,
      },
      projects: { runtimes: 'viewer' },
    },
  ],
};
