/**
 * @module core/test/runtimes/suite
 * A faithful subset of core's tests that runs unchanged on Node, Bun and Deno: it imports the BUILT
 * core (`dist/index.js`) and uses only its public API (`InfisicalClient`, `getSecret`,
 * `listSecrets`, the symmetric crypto, `loadSecrets` with `required`, `InfisicalError`) against a
 * real emulator whose URL and control token are its arguments (run.mjs starts one per runtime). It needs only
 * `fetch`, timers and Web Crypto. Output is TAP: `ok N - name` / `not ok N - name` with the reason,
 * then `1..N`; the exit code is 1 when a test failed.
 */
import {
  createSymmetricKey,
  decryptSymmetric,
  encryptSymmetric,
  InfisicalClient,
  InfisicalError,
  loadSecrets,
} from '../../dist/index.js';
import { PROJECT_ID, READER, SECRETS, SHORT_LIVED, WRITER } from './seed.mjs';

const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2);
const [siteUrl, controlToken] = args;
if (!siteUrl || !controlToken) {
  throw new Error('usage: <runtime> suite.mjs <emulator URL> <control token>');
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Awaits a promise that must reject with an InfisicalError of `code`; returns the error. */
async function rejectsWith(promise, code) {
  try {
    await promise;
  } catch (error) {
    assert(error instanceof InfisicalError, `expected an InfisicalError, got ${error}`);
    assertEqual(error.code, code, 'error code');
    return error;
  }
  throw new Error(`expected a rejection with ${code}, it resolved`);
}

/** The emulator's test-control API (never counted in its request log). */
async function control(method, path, body) {
  const response = await fetch(`${siteUrl}/_emulator${path}`, {
    method,
    headers: {
      authorization: `Bearer ${controlToken}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert(response.ok, `control ${method} ${path} answered ${response.status}`);
  return response.json();
}

/** How many requests the emulator answered for a route since the last reset. */
async function count(route) {
  const { counts } = await control('GET', '/requests');
  return counts[route] ?? 0;
}

async function reset() {
  await control('DELETE', '/faults');
  await control('DELETE', '/requests');
}

const LOGIN = 'POST /api/v1/auth/universal-auth/login';
const RENEW = 'POST /api/v1/auth/token/renew';
const LIST = 'GET /api/v3/secrets/raw';

/** Where every client of the suite reads: the writer identity, the project's `dev`, no env. */
const target = {
  siteUrl,
  auth: { universalAuth: WRITER },
  projectId: PROJECT_ID,
  environment: 'dev',
  env: {},
};

function client(options = {}) {
  return new InfisicalClient({ ...target, ...options });
}

test('Universal Auth: logs in on the first read and lists the folder', async () => {
  const infisical = client();
  assertEqual(await count(LOGIN), 0, 'logins before the first read');
  const secrets = await infisical.listSecrets();
  const values = Object.fromEntries(secrets.map((secret) => [secret.key, secret.value]));
  for (const [key, value] of Object.entries(SECRETS)) assertEqual(values[key], value, key);
  assertEqual(await count(LOGIN), 1, 'logins');
  assertEqual(await count(LIST), 1, 'list requests');
});

test('access token: reads with a token minted for a read-only identity', async () => {
  const { accessToken } = await control('POST', `/identities/${READER}/tokens`, {});
  const infisical = client({ auth: { accessToken } });
  assertEqual((await infisical.getSecret('API_URL')).value, SECRETS.API_URL, 'API_URL');
  assertEqual(await count(LOGIN), 0, 'logins');
});

test('renewal: a token past three quarters of its life is renewed, not replaced', async () => {
  const infisical = client({ auth: { universalAuth: SHORT_LIVED.credentials }, cacheTtl: 0 });
  await infisical.getSecret('API_URL');
  await sleep(SHORT_LIVED.ttlSeconds * 800);
  assertEqual((await infisical.getSecret('API_URL')).value, SECRETS.API_URL, 'API_URL');
  assertEqual(await count(LOGIN), 1, 'logins');
  assertEqual(await count(RENEW), 1, 'renewals');
});

test('cache: 50 concurrent reads of one folder cost one login and one list', async () => {
  const infisical = client();
  const values = await Promise.all(
    Array.from({ length: 50 }, () => infisical.getSecret('DATABASE_URL')),
  );
  assert(
    values.every((secret) => secret.value === SECRETS.DATABASE_URL),
    'every read got the value',
  );
  assertEqual(await count(LOGIN), 1, 'logins');
  assertEqual(await count(LIST), 1, 'list requests');
});

test('stale-if-error: with Infisical failing, the cached folder is served and the error reported', async () => {
  const reported = [];
  // A stale read waits for its refetch here (no stale-while-revalidate, no background timer),
  // so exactly one refetch is tried and exactly one error reported.
  const infisical = client({
    cacheTtl: 1,
    refreshInterval: 0,
    staleWhileRevalidate: false,
    retry: { maxRetries: 0 },
    onError: (error) => reported.push(error),
  });
  assertEqual((await infisical.getSecret('API_URL')).value, SECRETS.API_URL, 'first read');
  await control('POST', '/faults', { route: LIST, status: 503 });
  await sleep(1100);
  assertEqual((await infisical.getSecret('API_URL')).value, SECRETS.API_URL, 'stale read');
  assertEqual(await count(LIST), 2, 'list requests (the refetch was tried)');
  assert(reported.length === 1, `one error reported, got ${reported.length}`);
  assert(reported[0] instanceof InfisicalError, 'the reported error is an InfisicalError');
  assertEqual(reported[0].code, 'SERVER_ERROR', 'reported code');
});

test('stale-if-error: a folder never fetched fails with the error', async () => {
  await control('POST', '/faults', { route: LIST, status: 503 });
  const infisical = client({ retry: { maxRetries: 0 } });
  const error = await rejectsWith(infisical.getSecret('API_URL'), 'SERVER_ERROR');
  assertEqual(error.status, 503, 'status');
});

test('crypto: AES-256-GCM round trips, with a fresh IV each time', async () => {
  const key = createSymmetricKey();
  const plaintext = 'runtime plaintext ✓ — ünïcødé';
  const first = await encryptSymmetric(plaintext, key);
  const second = await encryptSymmetric(plaintext, key);
  assert(first.iv !== second.iv, 'two encryptions use two IVs');
  assertEqual(await decryptSymmetric(first, key), plaintext, 'decrypted');
  assertEqual(await decryptSymmetric(second, key), plaintext, 'decrypted');
});

test('crypto: decrypting with another key fails with CRYPTO_ERROR', async () => {
  const sealed = await encryptSymmetric('sealed', createSymmetricKey());
  await rejectsWith(decryptSymmetric(sealed, createSymmetricKey()), 'CRYPTO_ERROR');
});

test('loader: loads the folder when the required keys are present', async () => {
  const secrets = await loadSecrets({ ...target, required: ['DATABASE_URL', 'API_URL'] });
  try {
    assertEqual(secrets.values.DATABASE_URL, SECRETS.DATABASE_URL, 'DATABASE_URL');
    assertEqual(secrets.values.API_URL, SECRETS.API_URL, 'API_URL');
  } finally {
    secrets.close();
  }
});

test('loader: a missing required key fails with MISSING_SECRETS naming it, never a value', async () => {
  const error = await rejectsWith(
    loadSecrets({ ...target, required: ['DATABASE_URL', 'NOT_IN_INFISICAL'] }),
    'MISSING_SECRETS',
  );
  assert(error.message.includes('NOT_IN_INFISICAL'), 'the message names the key');
  const shown = `${error.message} ${JSON.stringify(error)}`;
  for (const value of Object.values(SECRETS)) assert(!shown.includes(value), 'no value is shown');
});

let failed = 0;
for (const [index, { name, fn }] of tests.entries()) {
  await reset();
  try {
    await fn();
    console.log(`ok ${index + 1} - ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok ${index + 1} - ${name}`);
    console.log(
      `  # ${String(error?.stack ?? error)
        .split('\n')
        .join('\n  # ')}`,
    );
  }
}
console.log(`1..${tests.length}`);
if (failed > 0) {
  if (globalThis.Deno) globalThis.Deno.exit(1);
  else globalThis.process.exit(1);
}
