/**
 * Secret imports: declared in the seed or made through `/api/v1/secret-imports`, their positions,
 * the cycle check, and how `include_imports` lists and gets secrets through them (newest server
 * rules; the 2024-10 rules are replayed from captures in `conformance-real.test.ts`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator, SeedInput } from '../src/index.ts';
import { startEmulator } from '../src/index.ts';
import { client } from './helpers.ts';

const PROJECT = '5d7f1c2a-0b3e-4c4d-8e9f-00000000abcd';
const seed: SeedInput = {
  projects: [
    {
      slug: 'imports-project',
      id: PROJECT,
      tags: [{ slug: 'db' }],
      environments: [
        {
          slug: 'dev',
          secrets: { '/': { DB_HOST: { value: 'localhost', tags: ['db'] }, LOCAL: 'l' } },
          imports: {
            '/': [
              { environment: 'staging', path: '/a' },
              { environment: 'staging', path: '/b' },
            ],
          },
        },
        {
          slug: 'staging',
          secrets: {
            '/a': { ONLY_A: 'a', BOTH: 'from-a' },
            '/b': { BOTH: 'from-b' },
            '/c': { DEEP: 'from-c' },
            '/d': { D_ONLY: 'from-d' },
          },
          imports: {
            '/b': [
              { environment: 'staging', path: '/c' },
              { environment: 'staging', path: '/d' },
            ],
            // A cycle back to the importing folder, and a folder imported already.
            '/c': [
              { environment: 'dev', path: '/' },
              { environment: 'staging', path: '/a' },
            ],
          },
        },
      ],
    },
  ],
  identities: [
    {
      name: 'admin',
      universalAuth: { clientId: 'admin-id', clientSecret: 'admin-secret' },
      projects: { 'imports-project': 'admin' },
    },
  ],
};

let emulator: Emulator;
let api: ReturnType<typeof client>;
let token: string;
const scope = { workspaceId: PROJECT, environment: 'dev' };
const keys = (secrets: { secretKey: string; environment: string }[]): string[] =>
  secrets.map((s) => `${s.secretKey}@${s.environment}`);

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed });
  api = client(emulator);
});
afterAll(() => emulator.close());
beforeEach(async () => {
  emulator.reset();
  token = await api.login();
});

const listImports = async (environment = 'dev', path = '/') =>
  (
    await api.call('GET', '/api/v1/secret-imports', {
      token,
      query: { workspaceId: PROJECT, environment, path },
    })
  ).body;

describe('secret imports', () => {
  it('lists the seed imports of a folder by position', async () => {
    const body = await listImports();
    expect(body.message).toBe('Successfully fetched secret imports');
    expect(
      body.secretImports.map(
        (i: { importPath: string; position: number; importEnv: { slug: string } }) => [
          i.importEnv.slug,
          i.importPath,
          i.position,
        ],
      ),
    ).toEqual([
      ['staging', '/a', 1],
      ['staging', '/b', 2],
    ]);
  });

  it('appends the imports of an imported folder to the direct import; deeper levels are lost', async () => {
    const res = await api.call('GET', '/api/v3/secrets/raw', {
      token,
      query: { ...scope, include_imports: 'true' },
    });
    const [a, b] = res.body.imports;
    expect(a).toMatchObject({ secretPath: '/a', environment: 'staging' });
    expect(keys(a.secrets)).toEqual(['BOTH@staging', 'ONLY_A@staging']);
    expect(b).toMatchObject({ secretPath: '/b', environment: 'staging' });
    // /b's own, then those of /c and /d (imported by /b); dev / (imported by /c) is two levels
    // down, where the newest server's walk loses what it finds.
    expect(keys(b.secrets)).toEqual(['BOTH@staging', 'DEEP@staging', 'D_ONLY@staging']);
  });

  it('gets a key through the imports, the last import first; a local key wins', async () => {
    const get = (name: string, query: Record<string, string> = { include_imports: 'true' }) =>
      api.call('GET', `/api/v3/secrets/raw/${name}`, { token, query: { ...scope, ...query } });
    expect((await get('BOTH')).body.secret).toMatchObject({
      secretValue: 'from-b',
      environment: 'staging',
      secretPath: '/b',
    });
    expect((await get('DEEP')).body.secret.secretValue).toBe('from-c');
    expect((await get('DB_HOST')).body.secret).toMatchObject({
      environment: 'dev',
      secretValue: 'localhost',
    });
    expect((await get('BOTH', {})).status).toBe(404);
  });

  it('creates, moves and deletes imports; a cycle is refused, a missing source accepted', async () => {
    const create = (environment: string, path: string, into = { environment: 'dev', path: '/' }) =>
      api.call('POST', '/api/v1/secret-imports', {
        token,
        body: { workspaceId: PROJECT, ...into, import: { environment, path } },
      });
    const cycle = await create('dev', '/', { environment: 'staging', path: '/a' });
    expect(cycle.body).toMatchObject({ statusCode: 404, message: 'Cyclic import not allowed' });
    const missing = await create('staging', '/nope');
    expect(missing.body.secretImport).toMatchObject({ importPath: '/nope', position: 3 });
    const moved = await api.call(
      'PATCH',
      `/api/v1/secret-imports/${missing.body.secretImport.id}`,
      {
        token,
        body: { workspaceId: PROJECT, environment: 'dev', path: '/', import: { position: 1 } },
      },
    );
    expect(moved.body.secretImport.position).toBe(1);
    expect(
      (await listImports()).secretImports.map((i: { importPath: string; position: number }) => [
        i.importPath,
        i.position,
      ]),
    ).toEqual([
      ['/nope', 1],
      ['/a', 2],
      ['/b', 3],
    ]);
    const list = await api.call('GET', '/api/v3/secrets/raw', {
      token,
      query: { ...scope, include_imports: 'true' },
    });
    expect(list.body.imports.map((i: { secretPath: string }) => i.secretPath)).toEqual([
      '/nope',
      '/a',
      '/b',
    ]);
    expect(list.body.imports[0].secrets).toEqual([]);
    const deleted = await api.call(
      'DELETE',
      `/api/v1/secret-imports/${missing.body.secretImport.id}`,
      {
        token,
        body: { workspaceId: PROJECT, environment: 'dev', path: '/' },
      },
    );
    expect(deleted.body.message).toBe('Successfully deleted secret import');
    const again = await api.call(
      'DELETE',
      `/api/v1/secret-imports/${missing.body.secretImport.id}`,
      {
        token,
        body: { workspaceId: PROJECT, environment: 'dev', path: '/' },
      },
    );
    expect(again.body).toMatchObject({ statusCode: 404, message: 'Secret import not found' });
  });

  it('filters local secrets by tagSlugs but not the secrets of imports', async () => {
    const res = await api.call('GET', '/api/v3/secrets/raw', {
      token,
      query: { ...scope, include_imports: 'true', tagSlugs: 'db' },
    });
    expect(keys(res.body.secrets)).toEqual(['DB_HOST@dev']);
    expect(keys(res.body.imports[0].secrets)).toEqual(['BOTH@staging', 'ONLY_A@staging']);
  });
});

describe('secret imports in 2024-10 mode', () => {
  it('follows only the first import of an imported folder, to any depth, and lists by row id', async () => {
    const old = await startEmulator({ port: 0, seed, serverVersion: '2024-10' });
    try {
      const oldApi = client(old);
      const res = await oldApi.call('GET', '/api/v3/secrets/raw', {
        token: await oldApi.login(),
        query: { ...scope, include_imports: 'true' },
      });
      const [a, b] = res.body.imports;
      const byId = (list: { id: string }[]) => [...list].sort((x, y) => (x.id < y.id ? -1 : 1));
      expect(a.secrets).toEqual(byId(a.secrets));
      expect(keys(a.secrets).sort()).toEqual(['BOTH@staging', 'ONLY_A@staging']);
      // /b's own, /c's (its first import) and dev /'s (the first import of /c); /d not followed.
      const [own, deep, ...dev] = keys(b.secrets);
      expect([own, deep]).toEqual(['BOTH@staging', 'DEEP@staging']);
      expect(dev.sort()).toEqual(['DB_HOST@dev', 'LOCAL@dev']);
    } finally {
      await old.close();
    }
  });
});
