import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.ts';
import { client, PROJECT_ID, startTestEmulator } from './helpers.ts';

let emulator: Emulator;
let api: ReturnType<typeof client>;
let token: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  api = client(emulator);
});
afterAll(() => emulator.close());
beforeEach(async () => {
  emulator.reset();
  token = await api.login();
});

const scope = { workspaceId: PROJECT_ID, environment: 'dev' };
const list = (query: Record<string, string> = {}, t = token) =>
  api.call('GET', '/api/v3/secrets/raw', { token: t, query: { ...scope, ...query } });
const values = (secrets: { secretKey: string; secretValue: string }[]) =>
  Object.fromEntries(secrets.map((s) => [s.secretKey, s.secretValue]));

describe('list', () => {
  it('returns the folder secrets with the real response fields, without imports unless asked', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['secrets']);
    expect(values(res.body.secrets)).toEqual({
      API_KEY: 'dev-api-key-123',
      CROSS_REF: 'nested=${dev.backend.NESTED_SECRET}',
      DB_HOST: 'localhost',
      DB_PORT: '5432',
      DB_URL: 'postgres://${DB_HOST}:${DB_PORT}/app',
    });
    const dbHost = res.body.secrets.find((s: { secretKey: string }) => s.secretKey === 'DB_HOST');
    expect(dbHost).toMatchObject({
      _id: dbHost.id,
      workspace: PROJECT_ID,
      environment: 'dev',
      version: 1,
      type: 'shared',
      secretComment: 'database host',
      secretReminderNote: null,
      secretReminderRepeatDays: null,
      skipMultilineEncoding: false,
      metadata: null,
      secretPath: '/',
      secretValueHidden: false,
      tags: [{ id: expect.any(String), slug: 'db', name: 'db', color: null }],
    });
  });

  it('answers every change after a list it could reuse: values, folder renames, tag colours', async () => {
    const recursive = () => list({ recursive: 'true' });
    const first = await recursive();
    expect(await recursive()).toEqual(first);
    emulator.setSecret({
      project: 'sdk-test-project',
      environment: 'dev',
      key: 'DB_PORT',
      value: '6543',
    });
    expect(values((await recursive()).body.secrets).DB_PORT).toBe('6543');
    const folders = await api.call('GET', '/api/v1/folders', {
      token,
      query: { workspaceId: PROJECT_ID, environment: 'dev', path: '/' },
    });
    const backend = folders.body.folders.find((f: { name: string }) => f.name === 'backend');
    await api.call('PATCH', `/api/v1/folders/${backend.id}`, {
      token,
      body: { workspaceId: PROJECT_ID, environment: 'dev', name: 'server', path: '/' },
    });
    const nested = (await recursive()).body.secrets.find(
      (s: { secretKey: string }) => s.secretKey === 'NESTED_SECRET',
    );
    expect(nested.secretPath).toBe('/server');
    const tags = await api.call('GET', `/api/v1/workspace/${PROJECT_ID}/tags`, { token });
    const db = tags.body.workspaceTags.find((t: { slug: string }) => t.slug === 'db');
    await api.call('PATCH', `/api/v1/workspace/${PROJECT_ID}/tags/${db.id}`, {
      token,
      body: { slug: 'db', color: '#abcdef' },
    });
    const host = (await recursive()).body.secrets.find(
      (s: { secretKey: string }) => s.secretKey === 'DB_HOST',
    );
    expect(host.tags).toEqual([{ id: db.id, slug: 'db', name: 'db', color: '#abcdef' }]);
  });

  it('expands local, environment and folder references', async () => {
    const res = await list({ expandSecretReferences: 'true' });
    expect(values(res.body.secrets)).toMatchObject({
      DB_URL: 'postgres://localhost:5432/app',
      CROSS_REF: 'nested=nested-value',
    });
  });

  it('includes imports with the imported folder secrets, and v4 adds their secretPath', async () => {
    const v3 = await list({ include_imports: 'true' });
    expect(v3.body.imports).toHaveLength(1);
    expect(v3.body.imports[0]).toMatchObject({
      secretPath: '/',
      environment: 'staging',
      folderId: expect.any(String),
    });
    expect(values(v3.body.imports[0].secrets)).toEqual({
      DB_HOST: 'staging-db.internal',
      SHARED_FROM_STAGING: 'staging-value',
    });
    expect(v3.body.imports[0].secrets[0]).toMatchObject({ workspace: '', environment: 'staging' });
    expect(v3.body.imports[0].secrets[0]).not.toHaveProperty('secretPath');
    const v4 = await api.call('GET', '/api/v4/secrets', {
      token,
      query: { projectId: PROJECT_ID, environment: 'dev', include_imports: 'true' },
    });
    expect(v4.body.imports[0].secrets[0].secretPath).toBe('/');
  });

  it('lists sub-folders recursively with each secret path', async () => {
    const res = await list({ recursive: 'true' });
    const nested = res.body.secrets.find(
      (s: { secretKey: string }) => s.secretKey === 'NESTED_SECRET',
    );
    expect(nested.secretPath).toBe('/backend');
    expect(res.body.secrets).toHaveLength(6);
  });

  it('filters by tag slugs and hides values on request', async () => {
    const tagged = await list({ tagSlugs: ' db , other' });
    expect(tagged.body.secrets.map((s: { secretKey: string }) => s.secretKey)).toEqual(['DB_HOST']);
    const hidden = await list({ viewSecretValue: 'false' });
    for (const secret of hidden.body.secrets) {
      expect(secret.secretValue).toBe('<hidden-by-infisical>');
      expect(secret.secretValueHidden).toBe(true);
    }
  });

  it('addresses the project by slug and accepts the v4 family', async () => {
    const bySlug = await api.call('GET', '/api/v3/secrets/raw', {
      token,
      query: { workspaceSlug: 'sdk-test-project', environment: 'dev' },
    });
    expect(bySlug.body.secrets).toHaveLength(5);
    const v4 = await api.call('GET', '/api/v4/secrets', {
      token,
      query: { projectId: PROJECT_ID, environment: 'dev' },
    });
    expect(values(v4.body.secrets)).toEqual(values(bySlug.body.secrets));
  });

  it('answers the newest server errors for a missing folder, environment and scope', async () => {
    const folder = await list({ secretPath: '/no/such/folder' });
    expect(folder.body).toMatchObject({
      statusCode: 404,
      error: 'SecretPathNotFound',
      reqId: expect.stringMatching(/^req-/),
      message:
        "Folder with path '/no/such/folder' in environment 'dev' was not found. Please ensure the environment slug and secret path is correct.",
    });
    expect((await list({ environment: 'nope' })).status).toBe(404);
    const missing = await api.call('GET', '/api/v3/secrets/raw', {
      token,
      query: { workspaceId: PROJECT_ID },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('Missing project id or environment');
  });

  it('drops a trailing slash from the path but adds no leading one', async () => {
    expect((await list({ secretPath: '/backend/' })).body.secrets[0].secretKey).toBe(
      'NESTED_SECRET',
    );
    expect((await list({ secretPath: 'backend' })).body.error).toBe('SecretPathNotFound');
  });

  it('checks query booleans strictly and drops unknown fields', async () => {
    const bad = await list({ recursive: 'yes' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toBe('ValidationFailure');
    expect(bad.body.message[0]).toMatchObject({ code: 'invalid_enum_value', path: ['recursive'] });
    expect((await list({ someUnknownField: 'x' })).status).toBe(200);
  });

  it('shows a user both the shared row and their personal override', async () => {
    const alice = await api.login('alice-id', 'alice-secret');
    const res = await list({}, alice);
    const rows = res.body.secrets.filter((s: { secretKey: string }) => s.secretKey === 'DB_HOST');
    expect(rows.map((r: { type: string; secretValue: string }) => [r.type, r.secretValue])).toEqual(
      [
        ['personal', 'alice-laptop'],
        ['shared', 'localhost'],
      ],
    );
    const expanded = await list({ expandSecretReferences: 'true' }, alice);
    expect(
      values(expanded.body.secrets.filter((s: { type: string }) => s.type === 'shared')).DB_URL,
    ).toBe('postgres://alice-laptop:5432/app');
  });

  it('serves 1,000 secrets', async () => {
    await api.call('POST', '/api/v3/secrets/batch/raw', {
      token,
      body: {
        ...scope,
        secretPath: '/',
        secrets: Array.from({ length: 1000 }, (_, i) => ({
          secretKey: `BULK_${i}`,
          secretValue: `value-${i}`,
        })),
      },
    });
    const res = await list();
    expect(res.body.secrets).toHaveLength(1005);
  });
});

describe('reference expansion rules', () => {
  const set = (key: string, value: string, path = '/') =>
    emulator.setSecret({ project: 'sdk-test-project', environment: 'dev', path, key, value });
  const expanded = async (key: string) => {
    const res = await api.call('GET', `/api/v3/secrets/raw/${key}`, {
      token,
      query: { ...scope, expandSecretReferences: 'true' },
    });
    return res.body.secret.secretValue as string;
  };

  it('leaves missing references literal, expands an empty value to "" and replaces literally', async () => {
    set('EMPTY', '');
    set('DOLLAR', 'a$&b');
    set('MIXED', '${MISSING}|${EMPTY}|${DOLLAR}|${prod.DB_HOST}');
    expect(await expanded('MIXED')).toBe('${MISSING}||a$&b|prod-db.internal');
  });

  it('resolves a nested reference in the referenced secret own folder', async () => {
    set('LOCAL', 'from-backend', '/backend');
    set('INNER', '${LOCAL}', '/backend');
    set('LOCAL', 'from-root');
    set('OUTER', '[${dev.backend.INNER}]');
    expect(await expanded('OUTER')).toBe('[from-backend]');
  });

  it('stops at cycles without failing', async () => {
    set('CYCLE_A', 'a:${CYCLE_B}');
    set('CYCLE_B', 'b:${CYCLE_A}');
    const value = await expanded('CYCLE_A');
    expect(value.startsWith('a:b:')).toBe(true);
    expect(value).toContain('${');
  });

  it('follows a chain through depth-limited passes, and gives up on an endless one', async () => {
    set('LEVEL_12', 'bottom');
    for (let i = 11; i >= 0; i--) set(`LEVEL_${i}`, `\${LEVEL_${i + 1}}`);
    expect(await expanded('LEVEL_0')).toBe('bottom');
    set('CHAIN_200', 'end');
    for (let i = 199; i >= 0; i--) set(`CHAIN_${i}`, `\${CHAIN_${i + 1}}`);
    expect(await expanded('CHAIN_0')).toMatch(/^\$\{CHAIN_\d+\}$/);
  });

  it('quotes a multi-line expansion when skipMultilineEncoding is set', async () => {
    set('LINES', 'one\ntwo\n');
    await api.call('POST', '/api/v3/secrets/raw/MULTI', {
      token,
      body: { ...scope, secretValue: '${LINES}', skipMultilineEncoding: true },
    });
    expect(await expanded('MULTI')).toBe('"one\\ntwo\\n"');
  });
});

describe('get', () => {
  const get = (name: string, query: Record<string, string> = {}, t = token) =>
    api.call('GET', `/api/v3/secrets/raw/${encodeURIComponent(name)}`, {
      token: t,
      query: { ...scope, ...query },
    });

  it('gets by name, by version and from a sub-folder', async () => {
    expect((await get('DB_HOST')).body.secret).toMatchObject({
      secretKey: 'DB_HOST',
      secretValue: 'localhost',
      secretPath: '/',
    });
    expect((await get('API_KEY', { version: '2' })).body.secret).toMatchObject({
      secretValue: 'dev-api-key-002',
      version: 2,
    });
    expect((await get('API_KEY')).body.secret.version).toBe(3);
    expect((await get('API_KEY', { version: '9' })).status).toBe(404);
    expect((await get('NESTED_SECRET', { secretPath: '/backend' })).body.secret.secretValue).toBe(
      'nested-value',
    );
  });

  it('answers 404 with the newest message, and 400 for a missing scope', async () => {
    const res = await get('DOES_NOT_EXIST');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      error: 'NotFound',
      message: "Secret with name 'DOES_NOT_EXIST' not found",
    });
    const noEnv = await api.call('GET', '/api/v3/secrets/raw/DB_HOST', {
      token,
      query: { workspaceId: PROJECT_ID },
    });
    expect(noEnv.body).toMatchObject({ statusCode: 400, message: 'Missing environment' });
    const noProject = await api.call('GET', '/api/v3/secrets/raw/DB_HOST', {
      token,
      query: { environment: 'dev' },
    });
    expect(noProject.body.message).toBe('You must provide workspaceSlug or workspaceId');
  });

  it('returns personal only when asked, never falling back to shared', async () => {
    const alice = await api.login('alice-id', 'alice-secret');
    expect((await get('DB_HOST', {}, alice)).body.secret).toMatchObject({
      type: 'shared',
      secretValue: 'localhost',
    });
    expect((await get('DB_HOST', { type: 'personal' }, alice)).body.secret).toMatchObject({
      type: 'personal',
      secretValue: 'alice-laptop',
    });
    expect((await get('DB_PORT', { type: 'personal' }, alice)).status).toBe(404);
  });
});

describe('writes', () => {
  const body = (extra: Record<string, unknown> = {}) => ({ ...scope, secretPath: '/', ...extra });

  it('creates (normalising the value), updates, renames and deletes', async () => {
    const created = await api.call('POST', '/api/v3/secrets/raw/NEW_ONE', {
      token,
      body: body({ secretValue: '  spaced  ', secretComment: ' note ' }),
    });
    expect(created.status).toBe(200);
    expect(created.body.secret).toMatchObject({
      secretKey: 'NEW_ONE',
      secretValue: 'spaced',
      secretComment: 'note',
      version: 1,
    });
    expect(created.body.secret).not.toHaveProperty('tags');
    const kept = await api.call('POST', '/api/v3/secrets/raw/NEWLINE', {
      token,
      body: body({ secretValue: ' x \n' }),
    });
    expect(kept.body.secret.secretValue).toBe('x\n');

    const updated = await api.call('PATCH', '/api/v3/secrets/raw/NEW_ONE', {
      token,
      body: body({ secretValue: 'v2' }),
    });
    expect(updated.body.secret).toMatchObject({
      secretValue: 'v2',
      version: 2,
      secretValueHidden: false,
    });

    const renamed = await api.call('PATCH', '/api/v3/secrets/raw/NEW_ONE', {
      token,
      body: body({ newSecretName: 'RENAMED_ONE' }),
    });
    expect(renamed.body.secret).toMatchObject({
      secretKey: 'RENAMED_ONE',
      secretValue: 'v2',
      version: 3,
    });

    const deleted = await api.call('DELETE', '/api/v3/secrets/raw/RENAMED_ONE', {
      token,
      body: body(),
    });
    expect(deleted.body.secret.secretKey).toBe('RENAMED_ONE');
    expect(
      (await api.call('DELETE', '/api/v3/secrets/raw/RENAMED_ONE', { token, body: body() })).status,
    ).toBe(404);
  });

  it('renaming rewrites references to the secret, in its own and other folders', async () => {
    emulator.setSecret({
      project: 'sdk-test-project',
      environment: 'dev',
      path: '/backend',
      key: 'USES_ROOT',
      value: '${dev.DB_HOST}!',
    });
    const res = await api.call('PATCH', '/api/v3/secrets/raw/DB_HOST', {
      token,
      body: body({ newSecretName: 'DATABASE_HOST' }),
    });
    expect(res.status).toBe(200);
    const all = await list({ recursive: 'true' });
    const byKey = Object.fromEntries(
      all.body.secrets.map((s: { secretKey: string }) => [s.secretKey, s]),
    );
    expect(byKey.DB_URL).toMatchObject({
      secretValue: 'postgres://${DATABASE_HOST}:${DB_PORT}/app',
      version: 2,
    });
    expect(byKey.USES_ROOT.secretValue).toBe('${dev.DATABASE_HOST}!');
    expect(byKey.CROSS_REF.version).toBe(1);
    const expanded = await list({ expandSecretReferences: 'true' });
    expect(values(expanded.body.secrets).DB_URL).toBe('postgres://localhost:5432/app');
  });

  it('refuses duplicates, bad names and bodies like the server', async () => {
    const dup = await api.call('POST', '/api/v3/secrets/raw/DB_HOST', {
      token,
      body: body({ secretValue: 'dup' }),
    });
    expect(dup.body).toMatchObject({
      statusCode: 400,
      error: 'BadRequest',
      message: 'Secret already exist',
    });
    const slash = await api.call('POST', `/api/v3/secrets/raw/${encodeURIComponent('A:B')}`, {
      token,
      body: body({ secretValue: 'x' }),
    });
    expect(slash.status).toBe(422);
    const noProject = await api.call('POST', '/api/v3/secrets/raw/NO_PROJECT', {
      token,
      body: { environment: 'dev', secretValue: 'x' },
    });
    expect(noProject.body).toMatchObject({
      statusCode: 400,
      message: 'Must provide either project slug or projectId',
    });
    const noValue = await api.call('POST', '/api/v3/secrets/raw/NO_VALUE', { token, body: body() });
    expect(noValue.status).toBe(422);
    const badJson = await fetch(`${emulator.url}/api/v3/secrets/raw/X`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    // Fastify's 400 for a bad body falls through the server's error handler as a 500.
    expect(await badJson.json()).toMatchObject({
      statusCode: 500,
      message: 'Something went wrong',
    });
  });

  it('creates personal overrides only for users, and only over a shared secret', async () => {
    const machine = await api.call('POST', '/api/v3/secrets/raw/DB_PORT', {
      token,
      body: body({ secretValue: '1', type: 'personal' }),
    });
    expect(machine.status).toBe(400);
    const alice = await api.login('alice-id', 'alice-secret');
    const orphan = await api.call('POST', '/api/v3/secrets/raw/NOPE', {
      token: alice,
      body: body({ secretValue: '1', type: 'personal' }),
    });
    expect(orphan.body.message).toContain('no corresponding shared secret');
    const ok = await api.call('POST', '/api/v3/secrets/raw/DB_PORT', {
      token: alice,
      body: body({ secretValue: '6543', type: 'personal' }),
    });
    expect(ok.body.secret).toMatchObject({ type: 'personal', secretValue: '6543' });
  });

  it('batch creates, updates (failOnNotFound, upsert, ignore) and deletes, all or nothing', async () => {
    const batch = '/api/v3/secrets/batch/raw';
    const created = await api.call('POST', batch, {
      token,
      body: body({
        secrets: [
          { secretKey: 'B1', secretValue: '1' },
          { secretKey: 'B2', secretValue: '2' },
        ],
      }),
    });
    expect(created.body.secrets.map((s: { secretKey: string }) => s.secretKey)).toEqual([
      'B1',
      'B2',
    ]);
    const dup = await api.call('POST', batch, {
      token,
      body: body({
        secrets: [
          { secretKey: 'B3', secretValue: '3' },
          { secretKey: 'B1', secretValue: 'x' },
        ],
      }),
    });
    expect(dup.body.message).toBe('Secret already exists: B1');
    expect(
      (await list()).body.secrets.some((s: { secretKey: string }) => s.secretKey === 'B3'),
    ).toBe(false);

    const fail = await api.call('PATCH', batch, {
      token,
      body: body({
        secrets: [
          { secretKey: 'B1', secretValue: 'x' },
          { secretKey: 'NOPE', secretValue: 'x' },
        ],
      }),
    });
    expect(fail.status).toBe(404);
    const upsert = await api.call('PATCH', batch, {
      token,
      body: body({
        mode: 'upsert',
        secrets: [
          { secretKey: 'B1', secretValue: 'one' },
          { secretKey: 'B9', secretValue: 'nine' },
        ],
      }),
    });
    expect(
      upsert.body.secrets.map((s: { secretKey: string; version: number }) => [
        s.secretKey,
        s.version,
      ]),
    ).toEqual([
      ['B1', 2],
      ['B9', 1],
    ]);
    const ignore = await api.call('PATCH', batch, {
      token,
      body: body({
        mode: 'ignore',
        secrets: [
          { secretKey: 'B2', secretValue: 'two' },
          { secretKey: 'GONE', secretValue: 'x' },
        ],
      }),
    });
    expect(ignore.body.secrets).toHaveLength(1);
    const v4 = await api.call('DELETE', '/api/v4/secrets/batch', {
      token,
      body: {
        projectId: PROJECT_ID,
        environment: 'dev',
        secrets: [{ secretKey: 'B1' }, { secretKey: 'B2' }, { secretKey: 'B9' }],
      },
    });
    expect(v4.body.secrets).toHaveLength(3);
  });
});

describe('permissions', () => {
  it('lets a viewer read but not write', async () => {
    const viewer = await api.login('viewer-id', 'viewer-secret');
    expect((await list({}, viewer)).status).toBe(200);
    const res = await api.call('POST', '/api/v3/secrets/raw/FORBIDDEN_SECRET', {
      token: viewer,
      body: { ...scope, secretValue: 'x' },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      error: 'PermissionDenied',
      message: 'You are not allowed to create on secrets',
    });
  });

  it('refuses a no-access role and a project the identity is not a member of', async () => {
    const blocked = await api.login('blocked-id', 'blocked-secret');
    expect((await list({}, blocked)).status).toBe(403);
    const other = await api.call('GET', '/api/v3/secrets/raw', {
      token,
      query: { workspaceId: '0b7c4d2e-1f3a-4b5c-8d6e-000000000002', environment: 'dev' },
    });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({
      message: 'You are not allowed to access this resource',
      error: 'Identity is not a member of the specified project',
    });
  });
});

describe('folders and environments', () => {
  it('creates, lists, gets and deletes folders', async () => {
    const created = await api.call('POST', '/api/v1/folders', {
      token,
      body: { workspaceId: PROJECT_ID, environment: 'dev', name: 'frontend', path: '/' },
    });
    expect(created.body.folder).toMatchObject({ name: 'frontend', parentId: expect.any(String) });
    const bad = await api.call('POST', '/api/v1/folders', {
      token,
      body: { workspaceId: PROJECT_ID, environment: 'dev', name: 'bad name' },
    });
    expect(bad.status).toBe(422);
    const listed = await api.call('GET', '/api/v1/folders', {
      token,
      query: { workspaceId: PROJECT_ID, environment: 'dev' },
    });
    expect(listed.body.folders.map((f: { name: string }) => f.name)).toEqual([
      'backend',
      'frontend',
    ]);
    const one = await api.call('GET', `/api/v1/folders/${created.body.folder.id}`, { token });
    expect(one.body.folder).toMatchObject({
      path: '/frontend',
      projectId: PROJECT_ID,
      environment: { envSlug: 'dev' },
    });
    const deleted = await api.call('DELETE', '/api/v1/folders/backend', {
      token,
      body: { workspaceId: PROJECT_ID, environment: 'dev', path: '/' },
    });
    expect(deleted.status).toBe(200);
    expect((await list({ secretPath: '/backend' })).status).toBe(404);
  });

  it('creates environments, listed with the project', async () => {
    const created = await api.call('POST', `/api/v1/workspace/${PROJECT_ID}/environments`, {
      token,
      body: { name: 'QA', slug: 'qa' },
    });
    expect(created.body).toMatchObject({
      message: 'Successfully created new environment',
      workspace: PROJECT_ID,
      environment: { slug: 'qa', position: 4 },
    });
    const project = await api.call('GET', `/api/v1/workspace/${PROJECT_ID}`, { token });
    expect(project.body.workspace.environments.map((e: { slug: string }) => e.slug)).toEqual([
      'dev',
      'staging',
      'prod',
      'qa',
    ]);
    expect((await list({ environment: 'qa' })).body.secrets).toEqual([]);
  });
});
