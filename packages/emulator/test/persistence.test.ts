/**
 * `--data` persistence: a snapshot plus an append-only journal, private files in a private folder,
 * no symbolic links followed, crash-tolerant journal reading and the first data format.
 */
import {
  chmodSync,
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
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFileError, type Emulator, type SeedInput, startEmulator } from '../src/index.ts';
import { client, PROJECT_ID, testSeed } from './helpers.ts';

const V1_PROJECT = '11111111-2222-4333-8444-555555555555';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-data-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const body = (extra: Record<string, unknown> = {}) => ({
  workspaceId: PROJECT_ID,
  environment: 'dev',
  ...extra,
});

async function withEmulator<T>(
  dataFile: string,
  use: (emulator: Emulator) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator({ seed: testSeed, dataFile });
  try {
    return await use(emulator);
  } finally {
    await emulator.close();
  }
}

describe('persistence (--data)', () => {
  it('keeps every kind of change across a restart', async () => {
    const dataFile = join(dir, 'state', 'emulator.json');
    await withEmulator(dataFile, async (emulator) => {
      const api = client(emulator);
      const token = await api.login();
      const call = (method: string, path: string, payload: unknown) =>
        api.call(method, path, { token, body: payload });
      await call('POST', '/api/v3/secrets/raw/PERSISTED', body({ secretValue: 'kept' }));
      await call('PATCH', '/api/v3/secrets/raw/DB_PORT', body({ secretValue: '6543' }));
      await call('DELETE', '/api/v3/secrets/raw/API_KEY', body());
      await call('POST', '/api/v1/folders', body({ name: 'kept-folder', path: '/' }));
      await call('POST', `/api/v1/workspace/${PROJECT_ID}/tags`, {
        slug: 'kept-tag',
        color: '#00ff00',
      });
      await call('POST', '/api/v1/secret-imports', {
        ...body({ path: '/backend' }),
        import: { environment: 'prod', path: '/' },
      });
    });
    await withEmulator(dataFile, async (emulator) => {
      const api = client(emulator);
      const token = await api.login();
      const list = await api.call('GET', '/api/v3/secrets/raw', {
        token,
        query: { workspaceId: PROJECT_ID, environment: 'dev' },
      });
      const byKey = Object.fromEntries(
        list.body.secrets.map((s: { secretKey: string; secretValue: string; version: number }) => [
          s.secretKey,
          [s.secretValue, s.version],
        ]),
      );
      expect(byKey.PERSISTED).toEqual(['kept', 1]);
      expect(byKey.DB_PORT).toEqual(['6543', 2]);
      expect(byKey.API_KEY).toBeUndefined();
      const folders = await api.call('GET', '/api/v1/folders', {
        token,
        query: { workspaceId: PROJECT_ID, environment: 'dev', path: '/' },
      });
      expect(folders.body.folders.map((f: { name: string }) => f.name)).toContain('kept-folder');
      const tags = await api.call('GET', `/api/v1/workspace/${PROJECT_ID}/tags`, { token });
      expect(tags.body.workspaceTags.map((t: { slug: string }) => t.slug)).toContain('kept-tag');
      const imports = await api.call('GET', '/api/v1/secret-imports', {
        token,
        query: { workspaceId: PROJECT_ID, environment: 'dev', path: '/backend' },
      });
      expect(imports.body.secretImports[0]).toMatchObject({
        importPath: '/',
        importEnv: { slug: 'prod' },
      });
    });
  });

  it('creates a private folder and private files, and journals a write instead of rewriting', async () => {
    const folder = join(dir, 'private');
    const dataFile = join(folder, 'emulator.json');
    await withEmulator(dataFile, async (emulator) => {
      const snapshot = readFileSync(dataFile, 'utf8');
      const api = client(emulator);
      const token = await api.login();
      await api.call('POST', '/api/v3/secrets/raw/JOURNALED', {
        token,
        body: body({ secretValue: 'x' }),
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(readFileSync(dataFile, 'utf8')).toBe(snapshot);
      // The login counted a use of the client secret; the create added one secret.
      const journal = readFileSync(`${dataFile}.journal`, 'utf8').trim().split('\n');
      expect(journal.map((line) => JSON.parse(line).table)).toEqual(['clientSecrets', 'secrets']);
      expect(JSON.parse(journal[1] as string)).toMatchObject({
        op: 'put',
        row: { key: 'JOURNALED' },
      });
    });
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(dataFile).mode & 0o777).toBe(0o600);
    expect(statSync(`${dataFile}.journal`).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder).sort()).toEqual(['emulator.json', 'emulator.json.journal']);
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).format).toBe('infisical-emulator/2');
  });

  it('folds the journal into the snapshot at start', async () => {
    const dataFile = join(dir, 'emulator.json');
    await withEmulator(dataFile, async (emulator) => {
      const api = client(emulator);
      const token = await api.login();
      await api.call('POST', '/api/v3/secrets/raw/FOLDED', {
        token,
        body: body({ secretValue: 'x' }),
      });
    });
    expect(readFileSync(`${dataFile}.journal`, 'utf8')).not.toBe('');
    await withEmulator(dataFile, async () => {
      expect(readFileSync(`${dataFile}.journal`, 'utf8')).toBe('');
      expect(readFileSync(dataFile, 'utf8')).toContain('FOLDED');
    });
  });

  it('folds the journal into a new snapshot once it outgrows the live data', async () => {
    const dataFile = join(dir, 'emulator.json');
    await withEmulator(dataFile, async (emulator) => {
      const api = client(emulator);
      const token = await api.login();
      const secrets = Array.from({ length: 6_000 }, (_, i) => ({
        secretKey: `BULK_${i}`,
        secretValue: 'v',
      }));
      for (const method of ['POST', 'DELETE', 'POST', 'DELETE']) {
        const res = await api.call(method, '/api/v3/secrets/batch/raw', {
          token,
          body: body({ secrets }),
        });
        expect(res.status).toBe(200);
      }
      await new Promise((resolve) => setImmediate(resolve));
      // 24,000 changes were written; the journal was folded away once it passed rows + 10,000.
      const lines = readFileSync(`${dataFile}.journal`, 'utf8').split('\n').filter(Boolean).length;
      expect(lines).toBeLessThan(12_000);
      expect(readFileSync(dataFile, 'utf8')).not.toContain('BULK_');
    });
  });

  it('keeps what precedes a journal line cut short by a crash, and refuses a damaged middle', async () => {
    const dataFile = join(dir, 'emulator.json');
    await withEmulator(dataFile, async (emulator) => {
      const api = client(emulator);
      const token = await api.login();
      await api.call('POST', '/api/v3/secrets/raw/BEFORE_CRASH', {
        token,
        body: body({ secretValue: 'x' }),
      });
    });
    const journal = readFileSync(`${dataFile}.journal`, 'utf8');
    writeFileSync(`${dataFile}.journal`, `${journal}{"table":"secrets","op":"pu`, { mode: 0o600 });
    await withEmulator(dataFile, async () => {
      expect(readFileSync(dataFile, 'utf8')).toContain('BEFORE_CRASH');
    });
    writeFileSync(`${dataFile}.journal`, `not json\n${journal}`, { mode: 0o600 });
    await expect(startEmulator({ seed: testSeed, dataFile })).rejects.toThrow(
      /emulator\.json\.journal: line 1 is not valid JSON/,
    );
  });

  it('refuses a data file that is a symbolic link, and a folder others can write to', async () => {
    const target = join(dir, 'elsewhere.json');
    writeFileSync(target, '{}', { mode: 0o600 });
    const link = join(dir, 'emulator.json');
    symlinkSync(target, link);
    const error = await startEmulator({ seed: testSeed, dataFile: link }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toContain('symbolic link');
    expect(readFileSync(target, 'utf8')).toBe('{}');

    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    await expect(
      startEmulator({ seed: testSeed, dataFile: join(shared, 'emulator.json') }),
    ).rejects.toThrow(/writable by other users; keep --data in a private folder/);
    expect(readdirSync(shared)).toEqual([]);
  });

  it('never writes through a file planted at a temporary name', async () => {
    const dataFile = join(dir, 'emulator.json');
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'untouched', { mode: 0o600 });
    for (const name of ['emulator.json.tmp', '.emulator.json.tmp'])
      symlinkSync(victim, join(dir, name));
    await withEmulator(dataFile, async () => {});
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    const temporaries = readdirSync(dir).filter((name) => /\.[0-9a-f]{24}\.tmp$/.test(name));
    expect(temporaries).toEqual([]);
  });

  it('reads a data file of the first format (written by the emulator before versions)', async () => {
    const dataFile = join(dir, 'emulator.json');
    writeFileSync(dataFile, readFileSync(new URL('./fixtures/data-v1.json', import.meta.url)), {
      mode: 0o644,
    });
    const seed: SeedInput = {
      projects: [{ slug: 'v1-project', id: V1_PROJECT, environments: ['dev', 'prod'] }],
      identities: [
        {
          name: 'admin',
          universalAuth: { clientId: 'v1-id', clientSecret: 'v1-secret' },
          projects: { 'v1-project': 'admin' },
        },
      ],
    };
    const emulator = await startEmulator({ seed, dataFile });
    try {
      const api = client(emulator);
      const res = await api.call('GET', '/api/v3/secrets/raw', {
        token: await api.login('v1-id', 'v1-secret'),
        query: { workspaceId: V1_PROJECT, environment: 'dev', include_imports: 'true' },
      });
      const byKey = Object.fromEntries(
        res.body.secrets.map(
          (s: {
            secretKey: string;
            secretValue: string;
            version: number;
            tags: { slug: string }[];
          }) => [s.secretKey, [s.secretValue, s.version, s.tags.map((t) => t.slug)]],
        ),
      );
      expect(byKey).toEqual({ DB_HOST: ['db-v2', 2, ['db']], SAVED: ['saved-v1', 1, []] });
      expect(res.body.imports[0]).toMatchObject({ environment: 'prod', secretPath: '/' });
    } finally {
      await emulator.close();
    }
    expect(statSync(dataFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).format).toBe('infisical-emulator/2');
  });
});
