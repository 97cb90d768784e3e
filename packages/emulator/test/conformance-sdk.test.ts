/**
 * Conformance: the official `@infisical/sdk` (5.0.2) against the emulator over real HTTP, once
 * per server version. What the SDK receives must be what it would receive from Infisical.
 */
import { InfisicalSDK } from '@infisical/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, SERVER_VERSIONS, startEmulator } from '../src/index.ts';
import { PROJECT_ID, testSeed } from './helpers.ts';

const scope = { projectId: PROJECT_ID, environment: 'dev' };

describe.each(SERVER_VERSIONS)('official @infisical/sdk against the emulator (%s)', (version) => {
  let emulator: Emulator;
  let sdk: InfisicalSDK;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: testSeed, serverVersion: version });
    sdk = new InfisicalSDK({ siteUrl: emulator.url });
    await sdk.auth().universalAuth.login({ clientId: 'admin-id', clientSecret: 'admin-secret' });
  });
  afterAll(() => emulator.close());

  it('logs in with Universal Auth and holds a bearer token', () => {
    expect(sdk.auth().getAccessToken()).toMatch(/^ey/);
    expect(emulator.requestCount('POST /api/v1/auth/universal-auth/login')).toBe(1);
  });

  it('renews the token', async () => {
    const before = sdk.auth().getAccessToken();
    await sdk.auth().universalAuth.renew();
    expect(sdk.auth().getAccessToken()).toMatch(/^ey/);
    expect(before).toMatch(/^ey/);
    expect(emulator.requestCount('POST /api/v1/auth/token/renew')).toBe(1);
  });

  it('lists secrets, expanded by default', async () => {
    const res = await sdk.secrets().listSecrets(scope);
    const byKey = Object.fromEntries(res.secrets.map((s) => [s.secretKey, s.secretValue]));
    expect(byKey).toEqual({
      API_KEY: 'dev-api-key-123',
      CROSS_REF: 'nested=nested-value',
      DB_HOST: 'localhost',
      DB_PORT: '5432',
      DB_URL: 'postgres://localhost:5432/app',
    });
    expect(res.imports).toBeUndefined();
  });

  it('lists with imports, raw and merged by the SDK', async () => {
    const res = await sdk.secrets().listSecrets({ ...scope, includeImports: true });
    expect(res.imports?.[0]?.environment).toBe('staging');
    expect(res.imports?.[0]?.secrets.map((s) => s.secretKey)).toEqual([
      'DB_HOST',
      'SHARED_FROM_STAGING',
    ]);
    const merged = await sdk.secrets().listSecretsWithImports(scope);
    const byKey = Object.fromEntries(merged.map((s) => [s.secretKey, s.secretValue]));
    expect(byKey).toMatchObject({ DB_HOST: 'localhost', SHARED_FROM_STAGING: 'staging-value' });
  });

  it('lists recursively and by path', async () => {
    const recursive = await sdk.secrets().listSecrets({ ...scope, recursive: true });
    expect(recursive.secrets.map((s) => s.secretKey)).toContain('NESTED_SECRET');
    const nested = await sdk.secrets().listSecrets({ ...scope, secretPath: '/backend' });
    expect(nested.secrets.map((s) => s.secretKey)).toEqual(['NESTED_SECRET']);
  });

  it('gets a secret, expanded, and a past version', async () => {
    const secret = await sdk.secrets().getSecret({ ...scope, secretName: 'DB_URL' });
    expect(secret).toMatchObject({
      secretKey: 'DB_URL',
      secretValue: 'postgres://localhost:5432/app',
      type: 'shared',
    });
    const old = await sdk.secrets().getSecret({ ...scope, secretName: 'API_KEY', version: 1 });
    // 2024-10 ignores `version` and answers the current row (capture get-secret-version-1.json).
    expect(old.secretValue).toBe(version === '2024-10' ? 'dev-api-key-123' : 'dev-api-key-001');
  });

  it('creates, updates, renames and deletes', async () => {
    const created = await sdk.secrets().createSecret('SDK_SAMPLE_SECRET', {
      ...scope,
      secretValue: 'created-value',
      secretComment: 'made by the sdk',
    });
    expect(created.secret).toMatchObject({
      secretKey: 'SDK_SAMPLE_SECRET',
      secretValue: 'created-value',
      version: 1,
    });
    const updated = await sdk
      .secrets()
      .updateSecret('SDK_SAMPLE_SECRET', { ...scope, secretValue: 'updated-value' });
    expect(updated.secret).toMatchObject({ secretValue: 'updated-value', version: 2 });
    const renamed = await sdk.secrets().updateSecret('SDK_SAMPLE_SECRET', {
      ...scope,
      secretValue: 'updated-value',
      newSecretName: 'SDK_SAMPLE_SECRET_RENAMED',
    });
    expect(renamed.secret.secretKey).toBe('SDK_SAMPLE_SECRET_RENAMED');
    const deleted = await sdk.secrets().deleteSecret('SDK_SAMPLE_SECRET_RENAMED', scope);
    expect(deleted.secret.secretKey).toBe('SDK_SAMPLE_SECRET_RENAMED');
    await expect(
      sdk.secrets().getSecret({ ...scope, secretName: 'SDK_SAMPLE_SECRET_RENAMED' }),
    ).rejects.toThrow(/\[StatusCode=404\]/);
  });

  it('surfaces server errors the way it does against Infisical', async () => {
    await expect(
      sdk.secrets().createSecret('DB_HOST', { ...scope, secretValue: 'dup' }),
    ).rejects.toThrow(/\[StatusCode=400\] Secret already exist/);
    const viewer = new InfisicalSDK({ siteUrl: emulator.url });
    await viewer
      .auth()
      .universalAuth.login({ clientId: 'viewer-id', clientSecret: 'viewer-secret' });
    await expect(
      viewer.secrets().createSecret('NOPE', { ...scope, secretValue: 'x' }),
    ).rejects.toThrow(/\[StatusCode=403\] You are not allowed to create on secrets/);
    await expect(
      new InfisicalSDK({ siteUrl: emulator.url })
        .auth()
        .universalAuth.login({ clientId: 'admin-id', clientSecret: 'wrong' }),
    ).rejects.toThrow(/\[StatusCode=401\] Invalid credentials/);
  });

  it('creates and lists folders', async () => {
    const folder = await sdk.folders().create({ ...scope, name: 'sdk-folder', path: '/' });
    expect(folder.name).toBe('sdk-folder');
    const folders = await sdk.folders().listFolders({ ...scope, path: '/' });
    expect(folders.map((f) => f.name)).toEqual(['backend', 'sdk-folder']);
  });
});
