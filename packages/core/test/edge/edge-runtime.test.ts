/**
 * The main entry in an edge-like runtime (Vercel's edge-runtime VM: fetch and Web Crypto, no
 * Node built-ins): log in, list, get, and AES-GCM round trips. Vitest's runner still gives the VM
 * a `process`; its `getBuiltinModule` is hidden here, so core takes the paths an edge runtime takes.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createSecrets,
  createSymmetricKey,
  decryptSymmetric,
  encryptSymmetric,
  InfisicalClient,
  loadSecrets,
  type SecretsOptions,
} from '../../src/index.ts';

const PROJECT_ID = '3c1d6f0a-0000-4000-8000-00000000c0e1';

const proc = (globalThis as { process?: { getBuiltinModule?: unknown } }).process;
const builtin = proc?.getBuiltinModule;
beforeAll(() => {
  if (proc) proc.getBuiltinModule = undefined;
});
afterAll(() => {
  if (proc) proc.getBuiltinModule = builtin;
});

describe('@infisical/core on an edge runtime', () => {
  it('runs without Node built-ins', () => {
    expect(typeof proc?.getBuiltinModule).not.toBe('function');
    expect(typeof globalThis.crypto?.subtle?.encrypt).toBe('function');
  });

  it('logs in and reads secrets through fetch', async () => {
    const client = new InfisicalClient({
      siteUrl: inject('emulatorUrl'),
      auth: { universalAuth: { clientId: 'app-id', clientSecret: 'app-secret-fake' } },
      projectId: PROJECT_ID,
      environment: 'dev',
      env: {},
    });
    const secrets = await client.listSecrets();
    expect(secrets.find((s) => s.key === 'DB_PORT')?.value).toBe('5432');
    expect((await client.getSecret('BOTH_IMPORTS')).value).toBe('last-import-wins');
  });

  it('encrypts and decrypts with Web Crypto', async () => {
    const key = createSymmetricKey();
    const sealed = await encryptSymmetric('edge plaintext ✓', key);
    expect(await decryptSymmetric(sealed, key)).toBe('edge plaintext ✓');
    await expect(
      decryptSymmetric({ ...sealed, tag: createSymmetricKey().slice(0, 24) }, key),
    ).rejects.toMatchObject({ code: 'CRYPTO_ERROR' });
  });
});

describe('the last-known-good snapshot on an edge runtime', () => {
  const base = (): SecretsOptions => ({
    siteUrl: inject('emulatorUrl'),
    auth: { universalAuth: { clientId: 'app-id', clientSecret: 'app-secret-fake' } },
    projectId: PROJECT_ID,
    environment: 'dev',
    env: {},
    refreshInterval: 0,
  });

  it('keeps it in a store of its own and serves it when Infisical is unreachable', async () => {
    let text: string | undefined;
    const store = {
      read: async () => text,
      write: async (next: string) => {
        text = next;
      },
    };
    const live = await loadSecrets({ ...base(), snapshot: { store } });
    await live.close();
    expect(text).toMatch(/^\{"format":"infisical-snapshot"/);
    const unreachable: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const cold = await loadSecrets({
      ...base(),
      fetch: unreachable,
      snapshot: { store },
      onError: () => undefined,
    });
    expect(cold.source).toBe('snapshot');
    expect(cold.get('DB_PORT')).toBe('5432');
    await cold.close();
  });

  it('ignores INFISICAL_SNAPSHOT_PATH, which is for Node code sharing the environment', async () => {
    const secrets = await loadSecrets({
      ...base(),
      env: { INFISICAL_SNAPSHOT_PATH: '.infisical/snapshot' },
    });
    expect(secrets.source).toBe('infisical');
    await secrets.close();
  });

  it('has no file store without @infisical/core/node', () => {
    expect(() => createSecrets({ ...base(), snapshot: { path: '.infisical/snapshot' } })).toThrow(
      /snapshot\.path needs the file store of @infisical\/core\/node/,
    );
  });
});
