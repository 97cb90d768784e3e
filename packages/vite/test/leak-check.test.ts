/**
 * The leak check through the plugin, with real `vite build`s: the catalogue's Vite forms
 * (`packages/core/test/leaks/`) caught in client output, `public/` copies included; what is a
 * warning rather than a failure; log redaction during a build.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type InfisicalError, isInfisicalError, type LeakMatch } from '@infisical/core';
import type { Emulator } from '@infisical/emulator';
import { startDemoEmulator } from 'test-utils';
import { build, createLogger, type Logger, type Plugin } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { infisical } from '../src/index.ts';
import { demoOptions, makeProject, projectConfig, removeProject, snapshotEnv } from './helpers.ts';

const PAGE =
  '<!doctype html><html><body><script type="module" src="/src/main.ts"></script></body></html>';
const WEBHOOK_URL = 'https://hooks.example.test/fake</hook>secret-31';
const TLS_CERT = '-----BEGIN FAKE CERT-----\nZmFrZS1jZXJ0LWxpbmU\n-----END FAKE CERT-----';
const SERVER_AUTH_TOKEN = 'fake+token/value==9';
/** Every value of the demo seed a test could leak, never to be printed. */
const VALUES = [
  'demo-session-secret-3f9a1c',
  'demo-api-token-0003',
  'demo-db-password',
  'sk_test_demo_0000000000',
  'demo-client-secret',
  WEBHOOK_URL,
  TLS_CERT,
  SERVER_AUTH_TOKEN,
];

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

const setSecret = (key: string, value: string) =>
  emulator.setSecret({ project: 'demo-app', environment: 'dev', key, value });
const project = (main: string, files: Record<string, string> = {}) => {
  const root = makeProject({ 'index.html': PAGE, 'src/main.ts': main, ...files });
  projects.push(root);
  return root;
};
/** A logger that keeps what it is given (the plugin logs through Vite's logger). */
function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger('info');
  logger.info = (message) => void lines.push(message);
  logger.warn = (message) => void lines.push(message);
  logger.warnOnce = (message) => void lines.push(message);
  return { logger, lines };
}
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the build should fail'),
    (error: { errors?: InfisicalError[] }) => error,
  );

describe('the leak check of a client build', () => {
  it("catches the catalogue's Vite forms, public/ copies included, naming key, file and form", async () => {
    setSecret('WEBHOOK_URL', WEBHOOK_URL);
    setSecret('TLS_CERT', TLS_CERT);
    setSecret('SERVER_AUTH_TOKEN', SERVER_AUTH_TOKEN);
    // The mistakes of the catalogue, one each, all in one build.
    let root = '';
    const leaky: Plugin = {
      name: 'leaky',
      config() {
        // source-map-sources-content: a module generated at build, shipped again in its map.
        writeFileSync(
          join(root, 'src/cert.generated.ts'),
          `export const cert = ${JSON.stringify(process.env.TLS_CERT)};\n`,
        );
        return {
          define: {
            // vite-define-generated-secret / vite-define-process-env: a server value in `define`.
            __PAYMENTS__: JSON.stringify(process.env.PAYMENTS_KEY),
            // basic-auth-header: a Basic header built at build time.
            __AUTH__: JSON.stringify(`Basic ${btoa(`api:${process.env.API_TOKEN}`)}`),
            // url-encoded-query: a connection string in a query string.
            __QUERY__: JSON.stringify(`/s?db=${encodeURIComponent(`${process.env.DATABASE_URL}`)}`),
          },
        };
      },
      // script-escaped-closing-tag: config inlined into the page with `<\/`.
      transformIndexHtml: (html) =>
        html.replace(
          '<body>',
          `<body><script>window.CONFIG=${JSON.stringify({ hook: process.env.WEBHOOK_URL }).replace(/<\//g, '<\\/')}</script>`,
        ),
    };
    root = project(
      [
        "import { cert } from './cert.generated.ts';",
        'declare const __PAYMENTS__: string, __AUTH__: string, __QUERY__: string;',
        // infisical-credential-in-bundle: envPrefix used as an allow-list of names.
        'console.log(__PAYMENTS__, __AUTH__, __QUERY__, cert, import.meta.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET);',
      ].join('\n'),
      {
        // webmanifest-token, yaml-config-in-public, env-file-in-public: public/ copies.
        'public/manifest.webmanifest': JSON.stringify({
          start_url: `/?token=${encodeURIComponent(SERVER_AUTH_TOKEN)}`,
        }),
        'public/assets/config.yml': 'database:\n  password: demo-db-password\n',
        'public/.env': 'DATABASE_URL=postgres://demo:demo-db-password@localhost:5432/demo\n',
      },
    );
    // binary-assets: a PNG holding a value is skipped by content.
    writeFileSync(
      join(root, 'public/badge.png'),
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]), Buffer.from('demo-api-token-0003')]),
    );
    process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET = 'demo-client-secret';
    const error = await failure(
      build(
        projectConfig(root, [infisical(demoOptions(emulator)), leaky], {
          envPrefix: ['VITE_', 'INFISICAL_'],
          build: { sourcemap: true },
        }),
      ),
    );
    // Rolldown wraps plugin errors (code PLUGIN_ERROR): ours is the one error, its code kept.
    const [leak] = error.errors ?? [];
    expect(isInfisicalError(leak)).toBe(true);
    expect(leak).toMatchObject({ pluginCode: 'LEAK_DETECTED', plugin: '@infisical/vite' });
    const { findings } = (leak as InfisicalError).details as { findings: LeakMatch[] };
    const found = findings.map(({ key, file, form }) => `${key} ${form} ${file}`);
    for (const expected of [
      /^PAYMENTS_KEY raw assets\/index-[\w-]+\.js$/,
      /^API_TOKEN base64 assets\/index-[\w-]+\.js$/,
      /^DATABASE_URL url-encoded assets\/index-[\w-]+\.js$/,
      /^INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET raw assets\/index-[\w-]+\.js$/,
      /^TLS_CERT json-escaped assets\/index-[\w-]+\.js\.map$/,
      /^WEBHOOK_URL json-escaped index\.html$/,
      /^SERVER_AUTH_TOKEN url-encoded manifest\.webmanifest$/,
      /^DB_PASSWORD raw assets\/config\.yml$/,
      /^DATABASE_URL raw \.env$/,
    ]) {
      expect(found).toContainEqual(expect.stringMatching(expected));
    }
    expect(found.filter((line) => line.endsWith('badge.png'))).toEqual([]);
    expect(findings.find((f) => f.key === 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET')?.kind).toBe(
      'credential',
    );
    expect(leak?.message).toContain(
      'the Infisical credential INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET in assets/index-',
    );
    expect(leak?.message).toContain('must be rotated in Infisical');
    const shown = [(error as Error).message, inspect(error, { depth: 8 }), JSON.stringify(error)];
    for (const value of VALUES) for (const text of shown) expect(text).not.toContain(value);
  });

  it("warns, without failing, about values of Vite's own runtime and values too short to check", async () => {
    setSecret('DB_USER', 'anonymous'); // a word of Vite's modulepreload polyfill
    const { logger, lines } = recordingLogger();
    const root = project("import('./lazy.ts').then((m) => console.log(m.x));", {
      'src/lazy.ts': 'export const x = 1;',
    });
    await build(
      projectConfig(root, [infisical(demoOptions(emulator))], {
        customLogger: logger,
        logLevel: 'info',
      }),
    );
    const text = readdirSync(join(root, 'dist/assets'))
      .map((file) => readFileSync(join(root, 'dist/assets', file), 'utf8'))
      .join('\n');
    expect(text).toContain('anonymous');
    const warnings = lines.filter((line) => line.includes('is a warning, not a failure'));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^\[@infisical\/vite\] Infisical: DB_USER in assets\/index-[\w-]+\.js:\d+:\d+ \(raw\) in the client build \(dist\) is a warning, not a failure: its value also occurs in the baseline file .*vite.*dist.*$/,
      ),
    ]);
    expect(lines.filter((line) => line.includes('too short to check'))).toEqual([
      '[@infisical/vite] Infisical: 1 private value is too short to check (under 6 characters): DB_PORT.',
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\[@infisical\/vite\] ✓ no private secret value in the client build \(dist\) \(\d+ checked\)$/,
      ),
    );
  });

  it('passes with the values it is told to ignore or to find in a baseline, and never ignores a credential', async () => {
    const leaky: Plugin = {
      name: 'leaky',
      config: () => ({
        define: {
          __TOKEN__: JSON.stringify(process.env.API_TOKEN),
          __SESSION__: JSON.stringify(process.env.SESSION_SECRET),
        },
      }),
    };
    const root = project(
      'declare const __TOKEN__: string, __SESSION__: string;\nconsole.log(__TOKEN__, __SESSION__);',
      { 'known/build.js': 'const s = "demo-session-secret-3f9a1c";' },
    );
    const { logger, lines } = recordingLogger();
    await build(
      projectConfig(
        root,
        [
          infisical(
            demoOptions(emulator, {
              leakCheck: { ignore: ['API_TOKEN'], baseline: ['known'] },
            }),
          ),
          leaky,
        ],
        { customLogger: logger, logLevel: 'info' },
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /SESSION_SECRET in assets\/.* is a warning, not a failure: its value also occurs in the baseline file .*known\/build\.js/,
      ),
    );
    expect(lines.join('\n')).not.toContain('API_TOKEN');

    const credential: Plugin = {
      name: 'credential',
      config: () => ({ define: { __TOKEN__: JSON.stringify('demo-client-secret') } }),
    };
    const other = project('declare const __TOKEN__: string;\nconsole.log(__TOKEN__);', {
      'known/build.js': 'const s = "demo-client-secret";',
    });
    const error = await failure(
      build(
        projectConfig(other, [
          infisical(
            demoOptions(emulator, {
              leakCheck: {
                ignore: ['INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET'],
                baseline: ['known'],
              },
            }),
          ),
          credential,
        ]),
      ),
    );
    expect(error.errors?.[0]?.message).toMatch(
      /the Infisical credential INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET in assets\/index-[\w-]+\.js/,
    );
  });

  it('does not scan SSR output, which is server code', async () => {
    const root = project('console.log(1);', {
      'src/server.ts': 'export const password = () => process.env.FORGOTTEN ?? "demo-db-password";',
    });
    await build(
      projectConfig(root, [infisical(demoOptions(emulator))], {
        build: { ssr: 'src/server.ts', outDir: 'dist-server' },
      }),
    );
    expect(readFileSync(join(root, 'dist-server/server.mjs'), 'utf8')).toContain(
      'demo-db-password',
    );
  });

  it('refuses a leakCheck option it does not know, naming the nearest one', () => {
    expect(() => infisical({ leakCheck: { ignroe: ['X'] } as never })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('did you mean "ignore"'),
      }),
    );
    expect(() => infisical({ leakCheck: { minLength: 0 } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

describe('redactLogs', () => {
  it('redacts console output from the config step to the end of the build, then stops', async () => {
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    try {
      const logs: Plugin = {
        name: 'logs',
        buildStart: () => console.log(`connecting with ${process.env.DB_PASSWORD}`),
      };
      const root = project('console.log(1);');
      mkdirSync(join(root, 'public'));
      await build(
        projectConfig(root, [infisical(demoOptions(emulator, { redactLogs: true })), logs]),
      );
      console.log('after the build: demo-db-password');
    } finally {
      log.mockRestore();
    }
    expect(printed).toEqual([
      'connecting with [redacted:DB_PASSWORD]',
      'after the build: demo-db-password',
    ]);
  });
});
