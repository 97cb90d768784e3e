import type { Emulator } from '@infisical/emulator';
import { infisicalEnv, startDemoEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp, nextBuild } from './fixture-app.ts';

const SESSION_SECRET = 'demo-session-secret-3f9a1c';

describe('next build with a private value in client code', () => {
  let emulator: Emulator;
  let result: { code: number | null; output: string };

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    // The classic leak: a private secret put in `env`, which Next inlines into client code.
    // No "type" in package.json: next.config.js is CommonJS, app files are bundled as ESM.
    const dir = await fixtureApp('leaky-app', {
      'package.json': '{ "private": true }',
      'next.config.js': `
const { withInfisical } = require('@infisical/next');
module.exports = withInfisical(
  () => ({
    env: { SESSION: process.env.SESSION_SECRET },
    compiler: { runAfterProductionCompile: async () => console.log('the config own hook ran') },
  }),
  { leakCheck: { ignore: ['DB_HOST'] } },
);`,
      'app/layout.js':
        'export default function Layout({ children }) { return <html><body>{children}</body></html>; }',
      'app/page.js': `import { Session } from './session';
export default function Page() { return <Session />; }`,
      'app/session.js': `'use client';
export function Session() { return <p>{process.env.SESSION}</p>; }`,
    });
    result = await nextBuild(dir, infisicalEnv(emulator));
  });
  afterAll(() => emulator?.close());

  it('fails the build naming the key and the file, after the config own hook', () => {
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('the config own hook ran');
    expect(result.output).toMatch(
      /InfisicalError \[LEAK_DETECTED\]: Private secret value found in \.next\/static: SESSION_SECRET in chunks\/[\w-]+\.js\. Fix: /,
    );
  });

  it('never prints the value', () => {
    expect(result.output).not.toContain(SESSION_SECRET);
  });
});
