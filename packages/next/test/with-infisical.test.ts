import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '@infisical/emulator';
import { infisicalEnv, startDemoEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp, PACKAGE_DIR, resultOf, runNode } from './fixture-app.ts';

const SESSION_SECRET = 'demo-session-secret-3f9a1c';
const GREETING = 'Hello from Infisical, through Next.js (dev)';
const LIST_ROUTE = 'GET /api/v3/secrets/raw';

/** Loads the fixture's next.config with Next's own loader, as `next build` does. */
const LOAD_WITH_NEXT = `
const loadConfig = require('next/dist/server/config').default;
loadConfig('phase-production-build', process.cwd()).then((config) => {
  console.log('RESULT ' + JSON.stringify({
    env: config.env,
    compiler: Object.keys(config.compiler ?? {}),
    hook: typeof config.compiler?.runAfterProductionCompile,
    webpack: config.webpack ?? null,
    reactStrictMode: config.reactStrictMode,
    greeting: process.env.NEXT_PUBLIC_GREETING,
    sessionSecretLoaded: process.env.SESSION_SECRET === ${JSON.stringify(SESSION_SECRET)},
  }));
});`;

describe('withInfisical, loaded by Next from next.config.js / .mjs / .ts', () => {
  let emulator: Emulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    env = infisicalEnv(emulator);
  });
  afterAll(() => emulator?.close());

  it('require() from a CommonJS next.config.js: an object stays an object, with additions only', async () => {
    const dir = await fixtureApp('cjs-object', {
      'package.json': '{ "private": true, "type": "commonjs" }',
      'next.config.js': `
const { withInfisical } = require('@infisical/next');
module.exports = withInfisical(
  { reactStrictMode: true, env: { OWN: 'kept', APP_NAME: 'the config wins' }, compiler: { removeConsole: false } },
  { publicKeys: ['APP_NAME', 'DB_HOST'] },
);
if (typeof module.exports !== 'object') throw new Error('not an object');`,
    });
    const { code, output } = await runNode(LOAD_WITH_NEXT, { cwd: dir, env });
    expect(code, output).toBe(0);
    expect(resultOf(output)).toEqual({
      env: { DB_HOST: 'localhost', APP_NAME: 'the config wins', OWN: 'kept' },
      compiler: ['removeConsole', 'runAfterProductionCompile'],
      hook: 'function',
      webpack: null,
      reactStrictMode: true,
      greeting: GREETING,
      sessionSecretLoaded: true,
    });
  });

  it('import from next.config.mjs: a function stays a (sync) function', async () => {
    const dir = await fixtureApp('mjs-function', {
      'package.json': '{ "private": true, "type": "module" }',
      'next.config.mjs': `
import { withInfisical } from '@infisical/next';
const config = withInfisical((phase) => ({ env: { PHASE: phase } }));
const result = config('phase-test', { defaultConfig: {} });
if (typeof config !== 'function' || typeof result.then === 'function') throw new Error('shape changed');
export default config;`,
    });
    const { code, output } = await runNode(LOAD_WITH_NEXT, { cwd: dir, env });
    expect(code, output).toBe(0);
    expect(resultOf(output)).toMatchObject({
      env: { PHASE: 'phase-production-build' },
      hook: 'function',
      greeting: GREETING,
      sessionSecretLoaded: true,
    });
  });

  it('import from next.config.ts: an async function stays async', async () => {
    const dir = await fixtureApp('ts-async', {
      'package.json': '{ "private": true }',
      'next.config.ts': `
import { withInfisical } from '@infisical/next';
import type { NextConfig } from 'next';
const config = withInfisical(async (phase: string): Promise<NextConfig> => ({ env: { PHASE: phase } }));
if (!(config('phase-test', { defaultConfig: {} }) instanceof Promise)) throw new Error('not async');
export default config;`,
    });
    const { code, output } = await runNode(LOAD_WITH_NEXT, { cwd: dir, env });
    expect(code, output).toBe(0);
    expect(resultOf(output)).toMatchObject({
      env: { PHASE: 'phase-production-build' },
      hook: 'function',
      greeting: GREETING,
      sessionSecretLoaded: true,
    });
  });
});

describe('withInfisical in Node.js (built package, CommonJS and ESM)', () => {
  let emulator: Emulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    env = infisicalEnv(emulator);
  });
  afterAll(() => emulator?.close());

  const attempt = (call: string) => `
const { withInfisical } = require('@infisical/next');
try { ${call}; console.log('RESULT {}'); }
catch (error) {
  const { name, code, message, status, method, path, cause } = error;
  console.log('RESULT ' + JSON.stringify({ name, code, message, status, method, path, cause: cause?.name }));
}`;

  it('works from ESM with any node flags (the worker does not inherit them)', async () => {
    const script = `
import { withInfisical } from '@infisical/next';
const config = withInfisical({}, { leakCheck: false });
console.log('RESULT ' + JSON.stringify({ config, greeting: process.env.NEXT_PUBLIC_GREETING }));`;
    const { code, output } = await runNode(script, { cwd: PACKAGE_DIR, env, esm: true });
    expect(code, output).toBe(0);
    expect(resultOf(output)).toEqual({ config: {}, greeting: GREETING });
  });

  it("redactLogs: this process's console output names the key, never the value", async () => {
    const script = `
const { withInfisical } = require('@infisical/next');
withInfisical({}, { redactLogs: true });
console.log('token ' + process.env.API_TOKEN);
console.error(new Error('failed with ' + process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET));`;
    const { code, output } = await runNode(script, { cwd: PACKAGE_DIR, env });
    expect(code, output).toBe(0);
    expect(output).toContain('token [redacted:API_TOKEN]');
    expect(output).toMatch(
      /Error: failed with \[redacted:INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET\]\n\s+at /,
    );
    expect(output).not.toContain('demo-api-token-0003');
    expect(output).not.toContain(env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET as string);
  });

  it('keeps environment variables that are already set', async () => {
    const script = `
const { withInfisical } = require('@infisical/next');
withInfisical({});
console.log('RESULT ' + JSON.stringify({ session: process.env.SESSION_SECRET }));`;
    const { output } = await runNode(script, {
      cwd: PACKAGE_DIR,
      env: { ...env, SESSION_SECRET: 'set-by-the-platform' },
    });
    expect(resultOf(output)).toEqual({ session: 'set-by-the-platform' });
  });

  it('fails with MISSING_SECRETS naming the key, never a value', async () => {
    const { output } = await runNode(
      attempt(`withInfisical({}, { required: ['SESSION_SECRET', 'NOT_THERE'] })`),
      {
        cwd: PACKAGE_DIR,
        env,
      },
    );
    expect(resultOf(output)).toEqual({
      name: 'InfisicalError',
      code: 'MISSING_SECRETS',
      message:
        'Required secret is missing: NOT_THERE. Fix: add it in Infisical (check the project, environment and path) or remove it from required.',
    });
  });

  it('fails with AUTH_FAILED on wrong credentials, the error whole across the thread', async () => {
    const { output } = await runNode(attempt('withInfisical({})'), {
      cwd: PACKAGE_DIR,
      env: { ...env, INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: 'wrong-secret' },
    });
    expect(resultOf(output)).toMatchObject({
      name: 'InfisicalError',
      code: 'AUTH_FAILED',
      status: 401,
      method: 'POST',
      path: '/api/v1/auth/universal-auth/login',
    });
    expect(output).not.toContain('wrong-secret');
  });

  it('refuses an unknown option (in the worker), naming the nearest valid one', async () => {
    const { output } = await runNode(attempt(`withInfisical({}, { siteURL: 'http://x' })`), {
      cwd: PACKAGE_DIR,
      env,
    });
    expect(resultOf(output)).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(resultOf(output).message).toContain('did you mean "siteUrl"');
  });

  it('rejects function-valued options, naming the option and where it goes instead', async () => {
    const { output } = await runNode(attempt(`withInfisical({}, { onError: () => {} })`), {
      cwd: PACKAGE_DIR,
      env,
    });
    expect(resultOf(output)).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(resultOf(output).message).toMatch(
      /^withInfisical option onError is not plain data: .* Fix: pass onError to register\(\) from @infisical\/next\/runtime instead/,
    );
  });

  it('skip (INFISICAL_SKIP=true): no request; required keys are checked against the environment', async () => {
    const before = emulator.requestCount();
    const script = `
const { withInfisical } = require('@infisical/next');
const config = withInfisical({}, { required: ['NEXT_PUBLIC_GREETING'] });
console.log('RESULT ' + JSON.stringify({ hook: typeof config.compiler.runAfterProductionCompile, session: process.env.SESSION_SECRET ?? null }));`;
    const skipped = { ...env, INFISICAL_SKIP: 'true', NEXT_PUBLIC_GREETING: 'from the build' };
    const { code, output } = await runNode(script, { cwd: PACKAGE_DIR, env: skipped });
    expect(code, output).toBe(0);
    expect(resultOf(output)).toEqual({ hook: 'function', session: null });
    const missing = await runNode(attempt(`withInfisical({}, { required: ['SESSION_SECRET'] })`), {
      cwd: PACKAGE_DIR,
      env: skipped,
    });
    expect(resultOf(missing.output)).toMatchObject({ code: 'MISSING_SECRETS' });
    expect(emulator.requestCount()).toBe(before);
  });

  it('typesFile writes the key names (no value) as an InfisicalSecretKeys augmentation', async () => {
    const dir = await fixtureApp('types-file', { 'package.json': '{ "private": true }' });
    const script = `
const { withInfisical } = require('@infisical/next');
withInfisical({}, { typesFile: 'infisical-keys.generated.d.ts' });
console.log('RESULT {}');`;
    const { code, output } = await runNode(script, { cwd: dir, env });
    expect(code, output).toBe(0);
    const text = readFileSync(join(dir, 'infisical-keys.generated.d.ts'), 'utf8');
    // What test/types/augmented-keys.test-d.ts compiles against.
    expect(text).toBe(
      readFileSync(new URL('types/infisical-keys.generated.d.ts', import.meta.url), 'utf8'),
    );
    expect(text).not.toContain(SESSION_SECRET);
  });

  it('fallbackToEnv: warns and goes on with the environment when Infisical fails', async () => {
    emulator.injectFault({ route: LIST_ROUTE, status: 503 });
    try {
      const script = `
const { withInfisical } = require('@infisical/next');
withInfisical({}, { fallbackToEnv: true, retry: { maxRetries: 0 } });
console.log('RESULT {}');`;
      const { code, output } = await runNode(script, { cwd: PACKAGE_DIR, env });
      expect(code, output).toBe(0);
      expect(output).toMatch(/⚠ Infisical: Infisical answered 503 .*GET \/api\/v3\/secrets\/raw/);
    } finally {
      emulator.clearFaults();
    }
  });
});
