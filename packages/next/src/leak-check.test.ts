import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { leakCheckHook } from './leak-check.js';
import type { BuildSecrets } from './load-protocol.js';

const secrets: BuildSecrets = {
  source: 'infisical',
  publicValues: { NEXT_PUBLIC_TITLE: 'Fake public title' },
  privateValues: {
    API_TOKEN: 'fake-api-token-0001',
    DB_HOST: 'localhost',
    SAME_AS_PUBLIC: 'Fake public title',
    DB_PORT: '5432',
  },
  credentials: [
    { label: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET', value: 'fake-client-secret-77' },
  ],
};

const TMP_DIR = fileURLToPath(new URL('../test/.tmp', import.meta.url));

// The step after prerendering runs at process exit: see test/leak-check-build.test.ts.
describe('leakCheckHook (the step after compiling)', () => {
  let projectDir: string;
  let log: ReturnType<typeof vi.spyOn>;
  let warn: ReturnType<typeof vi.spyOn>;

  beforeEach(async () => {
    // Inside this package, so that Next's runtime (the baseline) is found as from a project.
    await mkdir(TMP_DIR, { recursive: true });
    projectDir = await mkdtemp(join(TMP_DIR, 'leak-check-'));
    await mkdir(join(projectDir, '.next', 'static', 'chunks'), { recursive: true });
    await writeFile(
      join(projectDir, '.next', 'static', 'chunks', 'app.js'),
      'if(host==="localhost"){port=5432} title="Fake public title"',
    );
    log = vi.spyOn(console, 'log').mockImplementation(() => {});
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(projectDir, { recursive: true, force: true });
  });

  const metadata = () => ({ projectDir, distDir: join(projectDir, '.next') });

  it("fails naming key, file, position and form, never the value; a value of Next's runtime is a warning", async () => {
    await writeFile(
      join(projectDir, '.next', 'static', 'chunks', 'page.js'),
      'const t = "fake-api-token-0001";',
    );
    const hook = leakCheckHook(secrets, {});
    const error = await hook(metadata()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'InfisicalError',
      code: 'LEAK_DETECTED',
      details: { findings: [{ key: 'API_TOKEN', file: 'chunks/page.js', form: 'raw', line: 1 }] },
    });
    expect(String((error as Error).message)).toMatch(
      /^Private secret value found in \.next\/static: API_TOKEN in chunks\/page\.js:1:12 \(raw\)\. Fix: /,
    );
    expect(JSON.stringify(error)).not.toContain('fake-api-token-0001');
    expect(warn.mock.calls.map((call: unknown[]) => call[0])).toContainEqual(
      expect.stringMatching(
        /^⚠ Infisical: DB_HOST in chunks\/app\.js:1:12 \(raw\) in \.next\/static is a warning, not a failure: its value also occurs in the baseline file .*next[\\/]dist[\\/]client[\\/]/,
      ),
    );
  });

  it('passes when the ignored keys are the only ones found, naming the values too short to check once', async () => {
    await leakCheckHook(secrets, { ignore: ['DB_HOST'] })(metadata());
    expect(log).toHaveBeenCalledWith(
      '✓ Infisical: no private secret value in .next/static (2 checked)',
    );
    expect(warn.mock.calls).toEqual([
      ['⚠ Infisical: 1 private value is too short to check (under 6 characters): DB_PORT.'],
    ]);
  });

  it('finds the Infisical credential, in a Basic header too, and never ignores it', async () => {
    await writeFile(
      join(projectDir, '.next', 'static', 'chunks', 'auth.js'),
      `fetch(u,{headers:{authorization:"Basic ${btoa('id:fake-client-secret-77')}"}})`,
    );
    const hook = leakCheckHook(secrets, {
      ignore: ['DB_HOST', 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET'],
    });
    const error = await hook(metadata()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'LEAK_DETECTED',
      details: {
        findings: [
          {
            key: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET',
            kind: 'credential',
            file: 'chunks/auth.js',
            form: 'base64',
          },
        ],
      },
    });
    expect((error as Error).message).toContain('must be rotated in Infisical');
  });

  it('finds a value in its JSON-escaped form, and honours minLength', async () => {
    const quoted = { ...secrets, privateValues: { QUOTED: 'fake "quoted" value' } };
    await writeFile(
      join(projectDir, '.next', 'static', 'data.json'),
      '{"a":"fake \\"quoted\\" value"}',
    );
    await expect(leakCheckHook(quoted, {})(metadata())).rejects.toMatchObject({
      details: { findings: [{ key: 'QUOTED', file: 'data.json', form: 'json-escaped' }] },
    });
    await leakCheckHook(quoted, { minLength: 100 })(metadata());
  });

  it("runs the config's own hook first", async () => {
    const order: string[] = [];
    const own = async () => {
      order.push('own');
    };
    log.mockImplementation(() => order.push('leak check'));
    await leakCheckHook(secrets, { ignore: ['DB_HOST'] }, {}, own)(metadata());
    expect(order).toEqual(['own', 'leak check']);
  });

  it('says it was skipped when no secrets were loaded', async () => {
    await leakCheckHook({ ...secrets, source: 'skipped' }, {})(metadata());
    expect(warn).toHaveBeenCalledWith(
      '⚠ Infisical: leak check of .next/static skipped: secrets were not loaded (skip / INFISICAL_SKIP=true).',
    );
  });
});
