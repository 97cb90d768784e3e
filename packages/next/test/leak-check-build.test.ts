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

  it('fails the build naming the key, the file and the form, after the config own hook', () => {
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('the config own hook ran');
    expect(result.output).toMatch(
      /InfisicalError \[LEAK_DETECTED\]: Private secret value found in \.next\/static: SESSION_SECRET in chunks\/[\w-]+\.js:\d+:\d+ \(raw\)\. Fix: /,
    );
  });

  it("reports DB_HOST=localhost, a word of Next's client runtime, as a warning, not a failure", () => {
    expect(result.output).not.toMatch(/found in [^\n]*DB_HOST/);
    expect(result.output).toMatch(
      /Infisical: DB_HOST in chunks\/[\w-]+\.js:\d+:\d+ \(raw\) in \.next\/static is a warning, not a failure: its value also occurs in the baseline file [^\n]*next[\\/]dist/,
    );
  });

  it('never prints the value', () => {
    expect(result.output).not.toContain(SESSION_SECRET);
  });
});

describe('next build with a private value in prerendered pages and public/', () => {
  let emulator: Emulator;
  let result: { code: number | null; output: string };

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    // No client code holds a secret: the static page renders one, and passes another to a client
    // component (a server-component prop, serialized into the page's RSC payload). A public/ file
    // with an extension of its own holds a third.
    const dir = await fixtureApp('prerender-leak-app', {
      'package.json': '{ "private": true }',
      'next.config.js': `
const { withInfisical } = require('@infisical/next');
module.exports = withInfisical({});`,
      'app/layout.js':
        'export default function Layout({ children }) { return <html><body>{children}</body></html>; }',
      'app/page.js': `import { Token } from './token';
export default function Page() {
  return <main><p>{process.env.SESSION_SECRET}</p><Token token={process.env.API_TOKEN} /></main>;
}`,
      'app/token.js': `'use client';
export function Token({ token }) { return <span data-length={token.length} />; }`,
      'public/settings.yml': 'database:\n  password: demo-db-password\n',
    });
    result = await nextBuild(dir, infisicalEnv(emulator));
  });
  afterAll(() => emulator?.close());

  it('passes the client chunks, then fails the build once prerendered, naming keys, files and forms', () => {
    expect(result.output).toContain('✓ Infisical: no private secret value in .next/static');
    expect(result.code).toBe(1);
    const line = result.output
      .split('\n')
      .find((text) =>
        text.startsWith(
          'InfisicalError [LEAK_DETECTED]: Private secret values found in the prerendered output (',
        ),
      );
    expect(line).toBeDefined();
    expect(line).toMatch(/SESSION_SECRET in \.next\/server\/app\/index\.html:\d+:\d+ \(raw/);
    expect(line).toMatch(/API_TOKEN in \.next\/server\/app\/index\.rsc:\d+:\d+ \(raw/);
    expect(line).toMatch(/DB_PASSWORD in public\/settings\.yml:2:13 \(raw/);
  });

  it('never prints the values', () => {
    for (const value of [SESSION_SECRET, 'demo-api-token-0003', 'demo-db-password'])
      expect(result.output).not.toContain(value);
  });
});

describe("next build with output: 'export'", () => {
  let emulator: Emulator;
  let result: { code: number | null; output: string };

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    const dir = await fixtureApp('export-leak-app', {
      'package.json': '{ "private": true }',
      'next.config.js': `
const { withInfisical } = require('@infisical/next');
module.exports = withInfisical({ output: 'export' });`,
      'app/layout.js':
        'export default function Layout({ children }) { return <html><body>{children}</body></html>; }',
      'app/page.js':
        'export default function Page() { return <p>{process.env.SESSION_SECRET}</p>; }',
    });
    result = await nextBuild(dir, infisicalEnv(emulator));
  });
  afterAll(() => emulator?.close());

  it('scans the export folder and fails naming the exported page', () => {
    expect(result.code).toBe(1);
    expect(result.output).toMatch(
      /InfisicalError \[LEAK_DETECTED\]: Private secret values? found in the prerendered output \(out\): [^\n]*SESSION_SECRET in out\/index\.html:\d+:\d+ \(raw/,
    );
    expect(result.output).not.toContain(SESSION_SECRET);
  });
});

describe('next build with an Infisical credential and a Basic header in client code', () => {
  let emulator: Emulator;
  let result: { code: number | null; output: string };

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    // The mistakes: the client secret copied into `env`, and a Basic header built at build time.
    const dir = await fixtureApp('credential-leak-app', {
      'package.json': '{ "private": true }',
      'next.config.js': `
const { withInfisical } = require('@infisical/next');
module.exports = withInfisical(() => ({
  env: {
    CLIENT_SECRET: process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET,
    AUTH_HEADER: 'Basic ' + btoa('api:' + process.env.API_TOKEN),
  },
}));`,
      'app/layout.js':
        'export default function Layout({ children }) { return <html><body>{children}</body></html>; }',
      'app/page.js': `import { Call } from './call';
export default function Page() { return <Call />; }`,
      'app/call.js': `'use client';
export function Call() {
  return <button onClick={() => fetch('/x', { headers: { authorization: process.env.AUTH_HEADER, 'x-secret': process.env.CLIENT_SECRET } })}>call</button>;
}`,
    });
    result = await nextBuild(dir, infisicalEnv(emulator));
  });
  afterAll(() => emulator?.close());

  it('fails naming the credential and the base64 form, never the values', () => {
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(
      /the Infisical credential INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET in chunks\/[\w-]+\.js:\d+:\d+ \(raw\)/,
    );
    expect(result.output).toMatch(/API_TOKEN in chunks\/[\w-]+\.js:\d+:\d+ \(base64\)/);
    expect(result.output).toContain('must be rotated in Infisical');
    const secret = infisicalEnv(emulator).INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET as string;
    expect(result.output).not.toContain(secret);
    expect(result.output).not.toContain('demo-api-token-0003');
  });
});
