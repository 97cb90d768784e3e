import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@infisical/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createSecrets,
  type InfisicalError,
  loadSecrets,
  type Secrets,
  type SecretsChangeEvent,
  type SecretsOptions,
  type SnapshotStore,
} from '../src/index.ts';
import '../src/node.ts';
import { FAST_RETRY, LIST, LOGIN, PROJECT_ID, startCoreEmulator } from './helpers.ts';

const ALL = '*';
const APP = { clientId: 'app-id', clientSecret: 'app-secret-fake' };

let emulator: Emulator;
let dir: string;
let file: string;
const opened: Secrets<string, unknown>[] = [];
beforeAll(async () => {
  emulator = await startCoreEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  dir = mkdtempSync(join(tmpdir(), 'core-snapshot-'));
  file = join(dir, 'state', 'snapshot.json');
});
afterEach(async () => {
  for (const handle of opened.splice(0)) await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Handle options against the emulator with a snapshot file; the background retry is quick. */
function options(
  extra: SecretsOptions = {},
  snapshot: Record<string, unknown> = {},
): SecretsOptions {
  return {
    siteUrl: emulator.url,
    auth: { universalAuth: APP },
    projectId: PROJECT_ID,
    environment: 'dev',
    env: {},
    refreshInterval: 0,
    retry: { ...FAST_RETRY, maxCooldownMs: 100 },
    ...extra,
    snapshot: { path: file, ...snapshot },
  };
}

/** Loads (tracked for closing) and collects what reaches onError. */
async function start(extra: SecretsOptions = {}, snapshot: Record<string, unknown> = {}) {
  const reported: InfisicalError[] = [];
  const handle = createSecrets({
    ...options(extra, snapshot),
    onError: (error) => void reported.push(error),
  });
  opened.push(handle);
  const ready = handle.ready();
  ready.catch(() => undefined);
  return { handle, ready, reported };
}

/** Loads once with Infisical up, so the snapshot is written; returns its text. */
async function saveSnapshot(extra: SecretsOptions = {}, snapshot: Record<string, unknown> = {}) {
  const handle = await loadSecrets(options(extra, snapshot));
  await handle.close();
  return readFileSync(file, 'utf8');
}

const rotate = (key: string, value: string) =>
  emulator.setSecret({ project: 'core-tests', environment: 'dev', key, value });
const down = () => emulator.injectFault({ route: ALL, reset: true });
const rejections = (reported: InfisicalError[]) =>
  reported.filter((error) => error.code === 'SNAPSHOT_REJECTED');

describe('the last-known-good snapshot: saving', () => {
  it('is off unless asked: nothing is written', async () => {
    const handle = await loadSecrets({ ...options(), snapshot: undefined });
    await handle.close();
    expect(existsSync(join(dir, 'state'))).toBe(false);
  });

  it('writes the merged secrets after a load: encrypted, mode 600, in a private folder', async () => {
    const text = await saveSnapshot();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'state')).mode & 0o777).toBe(0o700);
    const sealed = JSON.parse(text);
    expect(Object.keys(sealed).sort()).toEqual(['data', 'format', 'iv', 'keyId', 'version']);
    for (const needle of [
      'fake-db-password-1',
      'fake-api-token-v3',
      'DB_PASSWORD',
      'KEY_1',
      APP.clientSecret,
    ]) {
      expect(text).not.toContain(needle);
    }
    // No temporary file is left behind.
    expect(readdirSync(join(dir, 'state'))).toEqual(['snapshot.json']);
  });

  it('rewrites it after a rotation', async () => {
    const handle = await loadSecrets(options());
    opened.push(handle);
    rotate('API_TOKEN', 'fake-api-token-v4');
    await handle.refresh();
    await handle.close();
    down();
    const { handle: cold, ready } = await start();
    await ready;
    expect(cold.source).toBe('snapshot');
    expect(cold.get('API_TOKEN')).toBe('fake-api-token-v4');
  });
});

describe('the last-known-good snapshot: a start while Infisical is down', () => {
  it('serves the snapshot at once when connections fail, says so once, then switches to live values with a change event', async () => {
    await saveSnapshot();
    down();
    const { handle, ready, reported } = await start({ injectEnv: false });
    await ready;
    expect(handle.state).toBe('ready');
    expect(handle.source).toBe('snapshot');
    expect(handle.get('DATABASE_URL')).toBe('postgres://app:fake-db-password-1@localhost:5432/app');
    expect(handle.get('BOTH_IMPORTS')).toBe('last-import-wins');
    expect(await handle.read()).toBe(handle.values);
    expect(reported).toHaveLength(1);
    const [notice] = reported as [InfisicalError];
    expect(notice.code).toBe('NETWORK_ERROR');
    expect(notice.message).toMatch(
      /^Infisical could not serve the first load \(NETWORK_ERROR\): serving the last-known-good snapshot \(\d+ secrets, confirmed by Infisical \d+ s ago\)/,
    );
    expect(notice.details).toMatchObject({
      source: 'snapshot',
      keys: Object.keys(handle.values).length,
    });
    expect(JSON.stringify(notice)).not.toContain('fake-db-password-1');
    expect(handle.toJSON()).toMatchObject({ state: 'ready', source: 'snapshot' });

    const changes: SecretsChangeEvent[] = [];
    handle.subscribe((change) => void changes.push(change));
    rotate('API_TOKEN', 'fake-api-token-back');
    emulator.clearFaults();
    await vi.waitFor(() => expect(handle.source).toBe('infisical'), { timeout: 10_000 });
    expect(handle.get('API_TOKEN')).toBe('fake-api-token-back');
    expect(changes).toEqual([
      { added: [], changed: ['API_TOKEN'], removed: [], publicChanged: false },
    ]);
    expect(handle.lastError).toBeUndefined();
    expect(reported).toHaveLength(1);
  });

  it('serves it on 5xx answers on every route, and when nothing listens at all', async () => {
    await saveSnapshot();
    emulator.injectFault({ route: ALL, status: 503 });
    const unavailable = await start();
    await unavailable.ready;
    expect(unavailable.handle.source).toBe('snapshot');
    expect(unavailable.reported[0]?.code).toBe('SERVER_ERROR');
    await unavailable.handle.close();
    emulator.clearFaults();

    // The site (part of the snapshot's key) stays the same; the connection is refused.
    const refusing: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    };
    const gone = await start({ fetch: refusing });
    await gone.ready;
    expect(gone.handle.source).toBe('snapshot');
    expect(gone.handle.get('DB_PORT')).toBe('5432');
  });

  it('serves it after snapshot.timeout when Infisical hangs, and live values when it answers in time', async () => {
    await saveSnapshot();
    emulator.injectFault({ route: LOGIN, latencyMs: 60_000 });
    const hanging = await start({}, { timeout: 200 });
    await hanging.ready;
    expect(hanging.handle.source).toBe('snapshot');
    expect(hanging.reported[0]?.code).toBe('TIMEOUT');
    expect(hanging.reported[0]?.message).toMatch(
      /^Infisical did not answer within 200 ms at start/,
    );
    await hanging.handle.close();
    emulator.clearFaults();

    emulator.injectFault({ route: LOGIN, latencyMs: 150 });
    const slow = await start({}, { timeout: 2000 });
    await slow.ready;
    expect(slow.handle.source).toBe('infisical');
    expect(slow.reported).toEqual([]);
  });

  it('keeps retrying in the background with the cooldown while Infisical stays down, reads never wait', async () => {
    await saveSnapshot();
    emulator.injectFault({ route: ALL, status: 503 });
    const { handle, ready } = await start();
    await ready;
    const logins = emulator.requestCount(LOGIN);
    await vi.waitFor(() => expect(emulator.requestCount(LOGIN)).toBeGreaterThan(logins + 1), {
      timeout: 10_000,
    });
    expect(handle.source).toBe('snapshot');
    expect(handle.lastError?.code).toBe('SERVER_ERROR');
    expect((await handle.read()).DB_PORT).toBe('5432');
    // refresh() tries now and never rejects.
    await handle.refresh();
    expect(handle.source).toBe('snapshot');
    emulator.clearFaults();
    // (the client may still be cooling down for a few ms)
    await vi.waitFor(async () => {
      await handle.refresh();
      expect(handle.source).toBe('infisical');
    });
  });

  it('close() during the wait ends the load with CLOSED, never with the snapshot', async () => {
    await saveSnapshot();
    emulator.injectFault({ route: LOGIN, latencyMs: 60_000 });
    const { handle, ready, reported } = await start({}, { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await handle.close();
    await expect(ready).rejects.toMatchObject({ code: 'CLOSED' });
    expect(handle.source).toBeUndefined();
    expect(reported).toEqual([]);
  });

  it('stops retrying once closed', async () => {
    await saveSnapshot();
    emulator.injectFault({ route: ALL, status: 503 });
    const { handle, ready } = await start();
    await ready;
    await handle.close();
    // A request close() aborted may still reach the emulator's counter just after: let it land.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const requests = emulator.requestCount();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(emulator.requestCount()).toBe(requests);
  });

  it('injects the snapshot into process.env and follows the switch (a key removed meanwhile leaves the env)', async () => {
    await saveSnapshot();
    down();
    const { handle, ready } = await start({ injectEnv: true });
    try {
      await ready;
      expect(process.env.DB_PASSWORD).toBe('fake-db-password-1');
      emulator.deleteSecret({ project: 'core-tests', environment: 'dev', key: 'DB_PASSWORD' });
      emulator.clearFaults();
      await vi.waitFor(async () => {
        await handle.refresh();
        expect(handle.source).toBe('infisical');
      });
      expect(process.env.DB_PASSWORD).toBeUndefined();
    } finally {
      for (const key of Object.keys(handle.values)) Reflect.deleteProperty(process.env, key);
      Reflect.deleteProperty(process.env, 'DB_PASSWORD');
    }
  });

  it('restarts the age when an unchanged refetch confirms the values', async () => {
    // maxAge 3 s: the unchanged values are rewritten at most every 1.5 s.
    const live = await loadSecrets(options({}, { maxAge: 3 }));
    opened.push(live);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await live.refresh();
    await live.close();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // 3.5 s after the load's write, 1.5 s after the refetch confirmed the values.
    down();
    const { handle: cold, ready, reported } = await start({}, { maxAge: 3 });
    await ready;
    expect(cold.source).toBe('snapshot');
    expect(rejections(reported)).toEqual([]);
  });
});

describe('the last-known-good snapshot: what is never served', () => {
  it('an expired snapshot: a typed warning, then the outage error as without one', async () => {
    await saveSnapshot();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    down();
    const { ready, reported } = await start({}, { maxAge: 1 });
    await expect(ready).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    const [rejected] = rejections(reported) as [InfisicalError];
    expect(rejected.details).toEqual({ reason: 'expired' });
    expect(rejected.message).toMatch(
      /^The snapshot file .* is \d+ s old, older than snapshot\.maxAge \(1 s\), so it is not used\. Fix: /,
    );
  });

  it('a tampered, truncated or foreign file', async () => {
    const text = await saveSnapshot();
    const sealed = JSON.parse(text);
    const flipped = Buffer.from(sealed.data, 'base64');
    flipped[0] = (flipped[0] as number) ^ 1;
    const cases: [string, string][] = [
      [JSON.stringify({ ...sealed, data: flipped.toString('base64') }), 'tampered'],
      [text.slice(0, text.length / 2), 'malformed'],
      ['{"format":"infisical-snapshot","version":99}', 'malformed'],
      ['not json at all', 'malformed'],
    ];
    down();
    for (const [content, reason] of cases) {
      writeFileSync(file, content, { mode: 0o600 });
      const { ready, reported } = await start();
      await expect(ready).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
      expect(rejections(reported).map((error) => error.details)).toEqual([{ reason }]);
    }
    emulator.clearFaults();

    // Another identity, and another folder, derive other keys.
    writeFileSync(file, text, { mode: 0o600 });
    down();
    const reader = await start({
      auth: { universalAuth: { clientId: 'reader-id', clientSecret: 'reader-secret-fake' } },
    });
    await expect(reader.ready).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(rejections(reader.reported).map((error) => error.details)).toEqual([
      { reason: 'foreign' },
    ]);
    const nested = await start({ path: '/nested' });
    await expect(nested.ready).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(rejections(nested.reported).map((error) => error.details)).toEqual([
      { reason: 'foreign' },
    ]);
  });

  it('a file open to others, another user’s, behind a symbolic link, or in a folder others can write', async () => {
    const text = await saveSnapshot();
    down();
    chmodSync(file, 0o644);
    const open = await start();
    await expect(open.ready).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(rejections(open.reported)[0]?.message).toContain(
      'is open to other users (mode 644, not 600)',
    );
    chmodSync(file, 0o600);

    const elsewhere = join(dir, 'elsewhere.json');
    writeFileSync(elsewhere, text, { mode: 0o600 });
    const linked = join(dir, 'linked', 'snapshot.json');
    mkdirSync(join(dir, 'linked'), { mode: 0o700 });
    symlinkSync(elsewhere, linked);
    const viaLink = await start({}, { path: linked });
    await expect(viaLink.ready).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(rejections(viaLink.reported)[0]?.details).toEqual({ reason: 'unsafe' });
    expect(rejections(viaLink.reported)[0]?.message).toContain(
      'is a symbolic link (never followed)',
    );

    chmodSync(join(dir, 'state'), 0o777);
    const shared = await start();
    await expect(shared.ready).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(rejections(shared.reported)[0]?.message).toContain(
      'in a folder other users can write to',
    );
    emulator.clearFaults();

    // Writing is refused there too (and through the link): reported once, the load succeeds.
    const live = await start();
    await live.ready;
    await live.handle.close();
    expect(live.handle.source).toBe('infisical');
    expect(live.reported.map((error) => [error.code, error.details])).toEqual([
      ['SNAPSHOT_WRITE_FAILED', { reason: 'unsafe' }],
    ]);
    const throughLink = await start({}, { path: linked });
    await throughLink.ready;
    await throughLink.handle.close();
    expect(throughLink.reported[0]?.message).toContain('a symbolic link is in its place');
    expect(readFileSync(elsewhere, 'utf8')).toBe(text);
  });

  it('never in answer to a refusal: wrong credentials fail as without a snapshot', async () => {
    const key = 'k'.repeat(32);
    await saveSnapshot({}, { key });
    const { ready, handle, reported } = await start(
      { auth: { universalAuth: { clientId: 'app-id', clientSecret: 'wrong-secret' } } },
      { key },
    );
    await expect(ready).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(handle.source).toBeUndefined();
    expect(reported).toEqual([]);
  });

  it('values that no longer satisfy required or the schema', async () => {
    await saveSnapshot();
    down();
    const { ready, reported } = await start({ required: ['NOT_IN_THE_SNAPSHOT'] });
    await expect(ready).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    const [rejected] = rejections(reported) as [InfisicalError];
    expect(rejected.details).toEqual({ reason: 'invalid' });
    expect(rejected.message).toContain('(MISSING_SECRETS)');
  });
});

describe('the last-known-good snapshot: keys', () => {
  it('derives the key from an access token, or takes snapshot.key', async () => {
    const token = { auth: { accessToken: 'static-token-fake-0001' } };
    await saveSnapshot(token);
    down();
    const fromToken = await start(token);
    await fromToken.ready;
    expect(fromToken.handle.source).toBe('snapshot');
    await fromToken.handle.close();
    emulator.clearFaults();

    // With an explicit key, a new client secret still reads the snapshot.
    const key = 'an explicit snapshot key, 32+ chars';
    await saveSnapshot({}, { key });
    down();
    const explicit = await start(token, { key });
    await explicit.ready;
    expect(explicit.handle.source).toBe('snapshot');
  });

  it('needs snapshot.key for a method without a lasting secret: said once, the app goes on live', async () => {
    const custom = {
      name: 'custom',
      renewable: false,
      login: async () => ({
        accessToken: 'static-token-fake-0001',
        expiresIn: 0,
        accessTokenMaxTTL: 0,
      }),
    };
    const { handle, ready, reported } = await start({ auth: custom });
    await ready;
    await handle.refresh();
    await handle.close();
    expect(handle.source).toBe('infisical');
    expect(reported.map((error) => error.details)).toEqual([{ reason: 'no-key' }]);
    expect(existsSync(file)).toBe(false);
    const keyed = await start({ auth: custom }, { key: 'x'.repeat(32) });
    await keyed.ready;
    await keyed.handle.close();
    expect(existsSync(file)).toBe(true);
  });
});

describe('the snapshot option', () => {
  it('is checked like every option', () => {
    const bad: [unknown, RegExp][] = [
      ['.infisical/snapshot', /snapshot must be an object/],
      [{ pth: 'x' }, /Unknown option "pth" in snapshot\. Fix: did you mean "path"\?/],
      [{}, /exactly one of path and store/],
      [{ path: 'x', store: memoryStore() }, /exactly one of path and store/],
      [{ path: '' }, /snapshot\.path must be a non-empty string/],
      [
        { store: { read: () => undefined } },
        /snapshot\.store must have read\(\) and write\(text\)/,
      ],
      [{ path: 'x', key: 'short' }, /snapshot\.key must be a string of at least 32 characters/],
      [{ path: 'x', maxAge: 0 }, /snapshot\.maxAge must be a number of seconds above 0/],
      [{ path: 'x', timeout: -1 }, /snapshot\.timeout must be a number of milliseconds above 0/],
    ];
    for (const [snapshot, message] of bad) {
      expect(() => createSecrets({ ...options(), snapshot } as SecretsOptions)).toThrow(message);
    }
    try {
      createSecrets({ ...options(), snapshot: { path: 'x', key: 'short-secret-key' } });
    } catch (error) {
      expect((error as Error).message).not.toContain('short-secret-key');
    }
  });

  it('takes a store of your own', async () => {
    const store = memoryStore();
    const first = await loadSecrets({ ...options(), snapshot: { store } });
    await first.close();
    expect(store.text).toMatch(/^\{"format":"infisical-snapshot"/);
    down();
    const cold = await loadSecrets({ ...options(), snapshot: { store }, onError: () => {} });
    opened.push(cold);
    expect(cold.source).toBe('snapshot');
    expect(cold.get('DB_HOST')).toBe('localhost');
  });

  it('is turned on by INFISICAL_SNAPSHOT_PATH (and INFISICAL_SNAPSHOT_MAX_AGE) when not given', async () => {
    const { snapshot: _, ...rest } = options();
    const env = { INFISICAL_SNAPSHOT_PATH: file, INFISICAL_SNAPSHOT_MAX_AGE: '3600' };
    const first = await loadSecrets({ ...rest, env });
    await first.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    down();
    const cold = await loadSecrets({ ...rest, env, onError: () => {} });
    opened.push(cold);
    expect(cold.source).toBe('snapshot');
    expect(() => createSecrets({ ...rest, env: { INFISICAL_SNAPSHOT_MAX_AGE: '3600' } })).toThrow(
      /INFISICAL_SNAPSHOT_MAX_AGE is set without INFISICAL_SNAPSHOT_PATH/,
    );
    expect(() =>
      createSecrets({ ...rest, env: { ...env, INFISICAL_SNAPSHOT_MAX_AGE: 'a day' } }),
    ).toThrow(/INFISICAL_SNAPSHOT_MAX_AGE must be a number of seconds above 0/);
  });

  it('is ignored in skip mode', async () => {
    const skipped = await loadSecrets({ ...options(), skip: true, required: [] });
    await skipped.close();
    expect(skipped.source).toBe('skipped');
    expect(existsSync(file)).toBe(false);
    expect(emulator.requestCount(LIST)).toBe(0);
  });
});

function memoryStore(): SnapshotStore & { text: string | undefined } {
  const store = {
    text: undefined as string | undefined,
    read: async () => store.text,
    write: async (text: string) => {
      store.text = text;
    },
  };
  return store;
}
