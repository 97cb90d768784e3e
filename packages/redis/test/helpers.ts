/** What the Redis package's tests share: an emulator, a Redis, clients on both, and polling. */
import { InfisicalClient, type InfisicalClientOptions, type InfisicalError } from '@infisical/core';
import type { Emulator } from '@infisical/emulator';
import { DEMO_CREDENTIALS, DEMO_PROJECT_ID } from 'test-utils';
import { type RedisFleet, redisFleet } from '../src/index.ts';

/** The list route every folder read goes to. */
export const LIST_ROUTE = 'GET /api/v3/secrets/raw';
/** The Universal Auth login route. */
export const LOGIN_ROUTE = 'POST /api/v1/auth/universal-auth/login';

/** Things to close after a test. */
export const closers: (() => unknown)[] = [];

/** Closes everything registered, newest first. */
export async function closeAll(): Promise<void> {
  for (const close of closers.splice(0).reverse()) await close();
}

/** A fleet on `url`, closed after the test. */
export function fleetOn(url: string): RedisFleet {
  const fleet = redisFleet({ url });
  closers.push(() => fleet.close());
  return fleet;
}

/** A client of the demo identity (or `credentials`) on the emulator, sharing `fleet`; closed after the test. */
export function fleetClient(
  emulator: Emulator,
  fleet: RedisFleet | undefined,
  extra: Partial<InfisicalClientOptions> & {
    credentials?: { clientId: string; clientSecret: string };
  } = {},
): InfisicalClient {
  const { credentials = DEMO_CREDENTIALS, ...rest } = extra;
  const client = new InfisicalClient({
    siteUrl: emulator.url,
    auth: { universalAuth: { ...credentials } },
    projectId: DEMO_PROJECT_ID,
    environment: 'dev',
    env: {},
    cacheTtl: 5,
    ...(fleet === undefined ? {} : { fleet }),
    ...rest,
  });
  closers.push(() => client.close());
  return client;
}

/** Collects what `onError` receives. */
export function errorsOf(): { errors: InfisicalError[]; onError: (error: InfisicalError) => void } {
  const errors: InfisicalError[] = [];
  return { errors, onError: (error) => errors.push(error) };
}

/** Resolves once `check` holds, polling every 50 ms; rejects after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
