import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { isInfisicalError } from '@infisical/core';
import type { Emulator } from '@infisical/emulator';
import { freePort, run, startDemoEmulator } from 'test-utils';
import { build, type Plugin } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type InfisicalViteOptions, infisical } from '../src/index.ts';
import {
  demoOptions,
  makeProject,
  PACKAGE_DIR,
  projectConfig,
  removeProject,
  snapshotEnv,
} from './helpers.ts';

const GREETING = 'Hello from Infisical, through Vite (dev)';
const PAGE =
  '<!doctype html><html><body><script type="module" src="/src/main.ts"></script></body></html>';

let emulator: Emulator;
let restoreEnv: () => void;
const projects: string[] = [];
beforeAll(async () => {
  emulator = await startDemoEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  restoreEnv = snapshotEnv();
});
afterEach(() => {
  restoreEnv();
  for (const root of projects.splice(0)) removeProject(root);
});

/** A project whose `src/main.ts` is `main`. */
const project = (main: string, files: Record<string, string> = {}) => {
  const root = makeProject({ 'index.html': PAGE, 'src/main.ts': main, ...files });
  projects.push(root);
  return root;
};
/** Every built file's text, joined. */
const builtText = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
/** A plugin listed after ours: its config hook reads what the process sees then. */
const reader = (seen: Record<string, string | undefined>, keys: string[]): Plugin => ({
  name: 'reads-process-env',
  config() {
    for (const key of keys) seen[key] = process.env[key];
  },
});

describe('build', () => {
  it('puts the public values in client code and no private one', async () => {
    const root = project(
      'document.body.textContent = [import.meta.env.VITE_PUBLIC_GREETING, import.meta.env.DB_PASSWORD, JSON.stringify(import.meta.env)].join(" ");',
    );
    await build(projectConfig(root, [infisical(demoOptions(emulator))]));
    const text = builtText(join(root, 'dist'));
    expect(text).toContain(GREETING);
    for (const leaked of [
      'demo-db-password',
      'demo-session-secret-3f9a1c',
      'sk_test_demo_0000000000',
    ]) {
      expect(text).not.toContain(leaked);
    }
  });

  it('writes every secret into process.env before the plugins after it, keeping variables already set', async () => {
    process.env.DB_HOST = 'preset-host';
    const seen: Record<string, string | undefined> = {};
    const root = project('console.log(1);');
    await build(
      projectConfig(root, [
        infisical(demoOptions(emulator)),
        reader(seen, ['DB_PASSWORD', 'DB_HOST', 'STRIPE_KEY']),
      ]),
    );
    expect(seen).toEqual({
      DB_PASSWORD: 'demo-db-password',
      DB_HOST: 'preset-host',
      STRIPE_KEY: undefined,
    });
    expect(process.env.SESSION_SECRET).toBe('demo-session-secret-3f9a1c');

    await build(
      projectConfig(root, [
        infisical(demoOptions(emulator, { overrideEnv: true })),
        reader(seen, ['DB_HOST']),
      ]),
    );
    expect(seen.DB_HOST).toBe('localhost');
  });

  it("follows the user's envPrefix, and exposes keys of the publicKeys allowlist", async () => {
    const root = project(
      'document.body.textContent = [import.meta.env.PUBLIC_GREETING, import.meta.env.VITE_PUBLIC_GREETING].join("|");',
      { 'index.html': PAGE.replace('<body>', '<head><title>%APP_NAME%</title></head><body>') },
    );
    await build(
      projectConfig(root, [infisical(demoOptions(emulator, { publicKeys: ['APP_NAME'] }))], {
        envPrefix: 'PUBLIC_',
      }),
    );
    const text = builtText(join(root, 'dist'));
    expect(text).toContain('Hello from Infisical (dev)');
    expect(text).toContain('<title>Infisical demo</title>');
    expect(text).not.toContain(GREETING);
  });

  it('fails the build naming the key and the file when a private value reaches client code', async () => {
    const leaky: Plugin = {
      name: 'leaky',
      config: () => ({ define: { __SESSION__: JSON.stringify(process.env.SESSION_SECRET) } }),
    };
    const root = project('declare const __SESSION__: string;\nconsole.log(__SESSION__);');
    const error = await build(projectConfig(root, [infisical(demoOptions(emulator)), leaky])).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    // Rolldown wraps plugin errors: the leak is the one error of the failed build.
    const [leak] = (error as { errors: Error[] }).errors;
    expect(isInfisicalError(leak)).toBe(true);
    expect(leak).toMatchObject({ pluginCode: 'LEAK_DETECTED', plugin: '@infisical/vite' });
    expect(leak?.stack).toBe(`InfisicalError: ${leak?.message}`);
    const message = (error as Error).message;
    expect(message).toMatch(/SESSION_SECRET in assets\/index-[\w-]+\.js/);
    expect(message).toContain('the client build (dist)');
    for (const shown of [message, inspect(error), JSON.stringify(error)]) {
      expect(shown).not.toContain('demo-session-secret-3f9a1c');
    }

    // The opt-out: the same build passes (and ships the value, which is what the check stops).
    await build(
      projectConfig(root, [infisical(demoOptions(emulator, { leakCheck: false })), leaky]),
    );
    expect(builtText(join(root, 'dist'))).toContain('demo-session-secret-3f9a1c');
  });

  it('refuses @infisical/vite/server in client code with a clear error', async () => {
    const root = project(
      "import { getSecret } from '@infisical/vite/server';\nconsole.log(getSecret('DB_PASSWORD'));",
    );
    await expect(build(projectConfig(root, [infisical(demoOptions(emulator))]))).rejects.toThrow(
      /@infisical\/vite\/server holds server-only secrets and cannot be imported from client code \(imported by src\/main\.ts\)/,
    );
  });

  it('lets SSR code import @infisical/vite/server; the built server reads its environment, holding no value', async () => {
    const root = project('console.log(1);', {
      'src/server.ts':
        "import { getSecret } from '@infisical/vite/server';\nexport const password = () => getSecret('DB_PASSWORD');",
    });
    await build(
      projectConfig(root, [infisical(demoOptions(emulator))], {
        build: { ssr: 'src/server.ts', outDir: 'dist-server' },
      }),
    );
    expect(builtText(join(root, 'dist-server'))).not.toContain('demo-db-password');
    const script =
      "import('./dist-server/server.mjs').then((m) => console.log('password=' + m.password()))";
    const { output } = await run('node', ['--input-type=module', '-e', script], {
      cwd: root,
      env: { DB_PASSWORD: 'from-the-server-env' },
    });
    expect(output).toContain('password=from-the-server-env');
  });

  it('names what failed when Infisical is unreachable, and can fall back to the environment', async () => {
    const siteUrl = `http://127.0.0.1:${await freePort()}`;
    const unreachable = demoOptions(emulator, { siteUrl, retry: { maxRetries: 0 } });
    const root = project('document.body.textContent = import.meta.env.VITE_PUBLIC_GREETING;');
    const error = await build(projectConfig(root, [infisical(unreachable)])).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isInfisicalError(error) && error.code).toBe('NETWORK_ERROR');
    expect((error as Error).message).toMatch(
      /^\[@infisical\/vite\] Loading secrets from Infisical failed: Could not reach Infisical .*fallbackToEnv: true/,
    );

    process.env.VITE_PUBLIC_GREETING = 'Hello from the environment';
    const reported: string[] = [];
    await build(
      projectConfig(root, [
        infisical({ ...unreachable, fallbackToEnv: true, onError: (e) => reported.push(e.code) }),
      ]),
    );
    expect(reported).toEqual(['NETWORK_ERROR']);
    expect(builtText(join(root, 'dist'))).toContain('Hello from the environment');
  });

  it('refuses an unknown option, naming the nearest valid one', async () => {
    const root = project('console.log(1);');
    const typo = { ...demoOptions(emulator), cacheTTL: 60 } as InfisicalViteOptions;
    const error = await build(projectConfig(root, [infisical(typo)])).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isInfisicalError(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toContain('did you mean "cacheTtl"');
    expect((error as Error).message).not.toContain('fallbackToEnv');
  });

  it('reads the INFISICAL_* settings from .env files', async () => {
    const { env: _ignored, ...options } = demoOptions(emulator);
    const root = project('document.body.textContent = import.meta.env.VITE_PUBLIC_GREETING;', {
      '.env.local': `INFISICAL_PROJECT_ID=${options.projectId}\nINFISICAL_ENVIRONMENT=dev\n`,
    });
    await build(
      projectConfig(root, [
        infisical({ ...options, projectId: undefined, environment: undefined }),
      ]),
    );
    expect(builtText(join(root, 'dist'))).toContain(GREETING);
  });

  it('generates the declaration that types import.meta.env and getSecret', async () => {
    const root = project('export const greeting: number = import.meta.env.VITE_PUBLIC_GREETING;', {
      'src/server.ts':
        "import { getSecret } from '@infisical/vite/server';\nexport const ok = getSecret('DB_PASSWORD');\nexport const typo = getSecret('DB_PASWORD');",
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        },
        include: ['src'],
      }),
    });
    await build(projectConfig(root, [infisical(demoOptions(emulator, { leakCheck: false }))]));
    const declaration = readFileSync(join(root, 'src/infisical-env.generated.d.ts'), 'utf8');
    // What test/types/augmented-keys.test-d.ts compiles against.
    expect(declaration).toBe(
      readFileSync(join(PACKAGE_DIR, 'test/types/infisical-env.generated.d.ts'), 'utf8'),
    );
    expect(declaration).toContain('    readonly VITE_PUBLIC_GREETING: string;');
    expect(declaration).toContain('    DB_PASSWORD: true;');
    for (const value of [GREETING, 'demo-db-password']) expect(declaration).not.toContain(value);
    const tsc = await run('node', [
      join(PACKAGE_DIR, '../../node_modules/typescript/bin/tsc'),
      '-p',
      root,
    ]);
    // Exactly the two mistakes: a public key read as a number, and an unknown key.
    expect(tsc.output.match(/error TS\d+/g)).toHaveLength(2);
    expect(tsc.output).toContain("error TS2322: Type 'string' is not assignable to type 'number'");
    expect(tsc.output).toMatch(/src\/server\.ts.*error TS2345: Argument of type '"DB_PASWORD"'/);

    const other = project('console.log(1);');
    await build(projectConfig(other, [infisical(demoOptions(emulator, { typesFile: false }))]));
    expect(readdirSync(join(other, 'src'))).toEqual(['main.ts']);
  });
});
