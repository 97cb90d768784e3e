/**
 * What differs between Infisical server generations, and what core makes of it. The file runs
 * once per emulator server version (vitest projects `node@latest`, `node@2024-10`); every
 * expectation that differs is written side by side with `byVersion`, and each request a 2024-10
 * fallback costs is counted.
 */
import type { Emulator, SeedInput } from '@infisical/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type InfisicalError, loadSecrets, type Secrets } from '../src/index.ts';
import { byVersion, clientFor, LIST, PROJECT_ID, startCoreEmulator } from './helpers.ts';

const PATCH_ONE = 'PATCH /api/v3/secrets/raw/:secretName';
const GET_ONE = 'GET /api/v3/secrets/raw/:secretName';
const PATCH_BATCH = 'PATCH /api/v3/secrets/batch/raw';
const POST_BATCH = 'POST /api/v3/secrets/batch/raw';
const DELETE_BATCH = 'DELETE /api/v3/secrets/batch/raw';

/** A project whose dev / imports staging /, with tags on local and imported secrets. */
const seed: SeedInput = {
  projects: [
    {
      slug: 'core-tests',
      id: PROJECT_ID,
      tags: [{ slug: 'web' }, { slug: 'jobs' }],
      environments: [
        {
          slug: 'dev',
          secrets: {
            '/': {
              DB_HOST: 'local-host',
              WEB_URL: { value: 'https://web.example.test', tags: ['web'] },
              JOB_QUEUE: { value: 'queue-${DB_HOST}', tags: ['jobs'] },
              API_TOKEN: {
                value: 'fake-token-v3',
                previousValues: ['fake-token-v1', 'fake-token-v2'],
              },
            },
            '/nested': { NESTED_ONLY: 'from-nested' },
          },
          imports: { '/': [{ environment: 'staging', path: '/' }] },
        },
        {
          slug: 'staging',
          secrets: {
            '/': {
              DB_HOST: 'staging-host',
              STAGING_WEB: { value: 'staging-web', tags: ['web'] },
              STAGING_PLAIN: 'staging-plain',
            },
          },
        },
      ],
    },
  ],
  identities: [
    {
      name: 'app',
      universalAuth: { clientId: 'app-id', clientSecret: 'app-secret-fake' },
      projects: { 'core-tests': 'admin' },
    },
  ],
};

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startCoreEmulator(seed);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const failure = (promise: Promise<unknown>): Promise<InfisicalError> =>
  promise.then(
    () => expect.unreachable('expected a failure'),
    (error: unknown) => error as InfisicalError,
  );

describe('rename and other updates without a value', () => {
  it('keep the stored value; a 2024-10 server costs one GET per update (and one refused PATCH once)', async () => {
    const client = clientFor(emulator);
    await client.createSecret('REF_TARGET', { value: 'target-value' });
    await client.createSecret('REF_USER', { value: 'prefix-${REF_TARGET}-suffix' });
    emulator.clearRequests();

    const renamed = await client.updateSecret('REF_TARGET', { newName: 'REF_TARGET_NEW' });
    expect(renamed).toMatchObject({ key: 'REF_TARGET_NEW', value: 'target-value', version: 2 });
    expect([emulator.requestCount(PATCH_ONE), emulator.requestCount(GET_ONE)]).toEqual(
      byVersion({ latest: [1, 0], '2024-10': [2, 1] }),
    );
    // The client remembers: the next value-less update reads first, without a refused attempt.
    emulator.clearRequests();
    await client.updateSecret('REF_TARGET_NEW', { comment: 'renamed' });
    expect([emulator.requestCount(PATCH_ONE), emulator.requestCount(GET_ONE)]).toEqual(
      byVersion({ latest: [1, 0], '2024-10': [1, 1] }),
    );
    expect(await client.getSecret('REF_TARGET_NEW')).toMatchObject({
      value: 'target-value',
      comment: 'renamed',
    });
  });

  it('leave ${OLD} references as the server leaves them: rewritten by newest servers, literal on 2024-10', async () => {
    const client = clientFor(emulator);
    await client.createSecret('REF_TARGET', { value: 'target-value' });
    await client.createSecret('REF_USER', { value: 'prefix-${REF_TARGET}-suffix' });
    await client.updateSecret('REF_TARGET', { newName: 'REF_TARGET_NEW', value: 'target-value' });
    const raw = await client.getSecret('REF_USER', { expandSecretReferences: false });
    expect(raw.value).toBe(
      byVersion({
        latest: 'prefix-${REF_TARGET_NEW}-suffix',
        '2024-10': 'prefix-${REF_TARGET}-suffix',
      }),
    );
    // Expanded, 2024-10 leaves the dangling reference literal (capture
    // rename-references-get-user-expanded.json).
    expect((await client.getSecret('REF_USER')).value).toBe(
      byVersion({ latest: 'prefix-target-value-suffix', '2024-10': 'prefix-${REF_TARGET}-suffix' }),
    );
  });
});

describe('batch update modes', () => {
  it('upsert creates the missing keys; 2024-10 costs a list and a create (and one refused PATCH once)', async () => {
    const client = clientFor(emulator);
    await client.createSecrets({ secrets: [{ key: 'B_A', value: 'a1' }] });
    emulator.clearRequests();
    const upserted = await client.updateSecrets({
      mode: 'upsert',
      secrets: [
        { key: 'B_NEW', value: 'new-1' },
        { key: 'B_A', value: 'a2' },
      ],
    });
    expect(upserted.map((s) => [s.key, s.value, s.version])).toEqual([
      ['B_NEW', 'new-1', 1],
      ['B_A', 'a2', 2],
    ]);
    const cost = () => [LIST, PATCH_BATCH, POST_BATCH].map((route) => emulator.requestCount(route));
    expect(cost()).toEqual(byVersion({ latest: [0, 1, 0], '2024-10': [1, 2, 1] }));

    emulator.clearRequests();
    const ignored = await client.updateSecrets({
      mode: 'ignore',
      secrets: [
        { key: 'B_MISSING', value: 'never' },
        { key: 'B_A', value: 'a3' },
      ],
    });
    expect(ignored.map((s) => [s.key, s.value])).toEqual([['B_A', 'a3']]);
    expect(cost()).toEqual(byVersion({ latest: [0, 1, 0], '2024-10': [1, 1, 0] }));
    const keys = (await client.listSecrets({ includeImports: false })).map((s) => s.key);
    expect(keys).not.toContain('B_MISSING');
  });

  it('entries without a value keep their stored value', async () => {
    const client = clientFor(emulator);
    await client.createSecrets({ secrets: [{ key: 'B_A', value: 'kept' }] });
    const [updated] = await client.updateSecrets({ secrets: [{ key: 'B_A', comment: 'noted' }] });
    expect(updated).toMatchObject({ key: 'B_A', value: 'kept', version: 2 });
  });

  it('name the keys that are missing (2024-10 names the ones it found), and change nothing', async () => {
    const client = clientFor(emulator);
    await client.createSecrets({ secrets: [{ key: 'B_A', value: 'a1' }] });
    const update = await failure(
      client.updateSecrets({
        secrets: [
          { key: 'B_A', value: 'a2' },
          { key: 'MISSING_1', value: 'x' },
          { key: 'MISSING_2', value: 'y' },
        ],
      }),
    );
    expect(update).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      details: { missing: ['MISSING_1', 'MISSING_2'] },
    });
    expect(update.message).toContain('"MISSING_1", "MISSING_2"');
    expect(update.message).not.toContain('"B_A"');
    const remove = await failure(client.deleteSecrets({ keys: ['B_A', 'MISSING_1'] }));
    expect(remove).toMatchObject({ code: 'NOT_FOUND', details: { missing: ['MISSING_1'] } });
    expect(await client.getSecret('B_A')).toMatchObject({ value: 'a1', version: 1 });
    expect(emulator.requestCount(DELETE_BATCH)).toBe(1);
  });
});

describe('versioned reads', () => {
  it('read a past version where the server can, and fail with UNSUPPORTED_BY_SERVER where it answers another', async () => {
    const client = clientFor(emulator);
    const reads = await Promise.allSettled(
      [1, 1, 1].map((version) => client.getSecret('API_TOKEN', { version })),
    );
    // Three concurrent callers, one request.
    expect(emulator.requestCount(GET_ONE)).toBe(1);
    const [first] = reads;
    if (byVersion({ latest: true, '2024-10': false })) {
      expect(first).toMatchObject({
        status: 'fulfilled',
        value: { value: 'fake-token-v1', version: 1 },
      });
    } else {
      expect(first).toMatchObject({
        status: 'rejected',
        reason: { code: 'UNSUPPORTED_BY_SERVER', details: { asked: 1, answered: 3 } },
      });
      expect(String((first as PromiseRejectedResult).reason.message)).not.toContain('fake-token');
    }
    // The current version reads on both; a kept answer costs no second request.
    expect((await client.getSecret('API_TOKEN', { version: 3 })).value).toBe('fake-token-v3');
    expect((await client.getSecret('API_TOKEN', { version: 3 })).value).toBe('fake-token-v3');
    expect(emulator.requestCount(GET_ONE)).toBe(2);
  });
});

describe('versioned reads: hostile versions', () => {
  it('refuse a version that is not a whole number from 1, before any request', async () => {
    const client = clientFor(emulator);
    for (const version of [0, -1, 1.5, Number.NaN, '2', null]) {
      const error = await failure(client.getSecret('API_TOKEN', { version: version as number }));
      expect(error).toMatchObject({ code: 'CONFIG_INVALID', details: { option: 'version' } });
    }
    expect(emulator.requestCount(GET_ONE)).toBe(0);
  });
});

describe('tag filters and imports', () => {
  it('never let an untagged imported secret in, nor replace a local secret the filter removed', async () => {
    const client = clientFor(emulator);
    const web = await client.listSecrets({ tagSlugs: ['web'] });
    const keys = web.map((s) => s.key);
    expect(keys).toContain('WEB_URL');
    expect(keys).not.toContain('DB_HOST');
    expect(keys).not.toContain('STAGING_PLAIN');
    for (const secret of web) expect(secret.tags).toContain('web');
    await expect(client.getSecret('DB_HOST')).resolves.toMatchObject({ value: 'local-host' });
  });
});

describe('two handles on one client with different options', () => {
  it('never see each other’s secrets or change events (imports, expansion, path, tags)', async () => {
    const client = clientFor(emulator);
    const handles: Secrets<string, unknown>[] = [];
    /** A change made outside the client, then one refresh of every cached folder. */
    const change = (environment: string, key: string, value: string): Promise<void> => {
      emulator.setSecret({ project: 'core-tests', environment, key, value });
      return client.refresh();
    };
    const open = async (options: Parameters<typeof loadSecrets>[0]) => {
      const handle = await loadSecrets({ client, ...options });
      handles.push(handle);
      const events = vi.fn();
      handle.subscribe(events);
      return { handle, events };
    };
    try {
      const merged = await open({});
      const local = await open({ includeImports: false });
      const raw = await open({ expandSecretReferences: false, includeImports: false });
      const nested = await open({ path: '/nested' });
      const jobs = await open({ tagSlugs: ['jobs'] });
      expect(merged.handle.values.STAGING_PLAIN).toBe('staging-plain');
      expect(local.handle.values.STAGING_PLAIN).toBeUndefined();
      expect(local.handle.values.JOB_QUEUE).toBe('queue-local-host');
      expect(raw.handle.values.JOB_QUEUE).toBe('queue-${DB_HOST}');
      expect({ ...nested.handle.values }).toEqual({ NESTED_ONLY: 'from-nested' });
      expect(Object.keys(jobs.handle.values)).toEqual(['JOB_QUEUE']);

      // A change only an import shows: only the handle with imports hears of it.
      await change('staging', 'STAGING_PLAIN', 'staging-plain-2');
      expect(merged.handle.values.STAGING_PLAIN).toBe('staging-plain-2');
      expect(merged.events).toHaveBeenCalledTimes(1);
      expect([local, raw, nested, jobs].map((other) => other.events.mock.calls.length)).toEqual([
        0, 0, 0, 0,
      ]);

      // A change to a referenced value: an expanded handle hears that JOB_QUEUE changed, the raw
      // one only that DB_HOST did; the nested folder hears nothing.
      await change('dev', 'DB_HOST', 'moved');
      expect(jobs.handle.values.JOB_QUEUE).toBe('queue-moved');
      expect(raw.handle.values.JOB_QUEUE).toBe('queue-${DB_HOST}');
      expect(jobs.events.mock.lastCall?.[0]).toMatchObject({ changed: ['JOB_QUEUE'] });
      expect(raw.events.mock.lastCall?.[0]).toMatchObject({ changed: ['DB_HOST'] });
      expect(nested.events).not.toHaveBeenCalled();
    } finally {
      for (const handle of handles) await handle.close();
      client.close();
    }
  });
});

describe('answers that differ by version', () => {
  it('a list in a missing folder or environment: 404 NOT_FOUND (newest) or an empty list (2024-10)', async () => {
    const client = clientFor(emulator);
    for (const scope of [{ path: '/no/such' }, { environment: 'nope' }]) {
      const outcome = await client.listSecrets(scope).then(
        (list) => list,
        (error: InfisicalError) => error.code,
      );
      expect(outcome).toEqual(byVersion<unknown>({ latest: 'NOT_FOUND', '2024-10': [] }));
    }
  });

  it('a missing secret is MISSING_SECRETS whatever the server’s 404 message', async () => {
    const client = clientFor(emulator);
    await expect(client.getSecret('NOPE')).rejects.toMatchObject({ code: 'MISSING_SECRETS' });
    const versioned = await failure(client.getSecret('NOPE', { version: 1 }));
    expect(versioned).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(versioned.message).toContain(
      byVersion({ latest: "Secret with name 'NOPE' not found", '2024-10': 'Secret not found' }),
    );
  });

  it('a schema refusal is VALIDATION_FAILED at 422 (newest) or 401 (2024-10), without a new login', async () => {
    const client = clientFor(emulator);
    await client.listSecrets();
    const error = await failure(client.createSecrets({ secrets: [] }));
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      status: byVersion({ latest: 422, '2024-10': 401 }),
    });
    expect(emulator.requestCount('POST /api/v1/auth/universal-auth/login')).toBe(1);
  });
});
