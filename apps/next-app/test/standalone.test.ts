import { cp } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Emulator } from '@infisical/emulator';
import type { Browser } from 'playwright-core';
import {
  freePort,
  launchChromium,
  type RunningProcess,
  startDemoEmulator,
  startProcess,
  waitForHttp,
} from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_DIR,
  apiSecret,
  appEnv,
  GREETING,
  nextBuild,
  renderedValues,
  SESSION_SECRET_MASKED,
  seedValues,
} from './app.ts';

/** The Docker recipe: build without credentials, load the secrets when server.js starts. */
describe("output: 'standalone', built without secrets", () => {
  const distName = '.next-test-standalone';
  const distDir = join(APP_DIR, distName);
  // Next traces from the workspace root, so server.js sits at the app's path inside standalone/.
  const serverDir = join(distDir, 'standalone', relative(join(APP_DIR, '../..'), APP_DIR));
  let emulator: Emulator;
  let browser: Browser;
  let buildOutput: string;
  const servers: RunningProcess[] = [];

  const startServer = async (env: Record<string, string>) => {
    const port = await freePort();
    const server = startProcess(process.execPath, ['server.js'], {
      cwd: serverDir,
      env: { ...env, PORT: String(port), HOSTNAME: '127.0.0.1' },
    });
    servers.push(server);
    return { server, baseUrl: `http://127.0.0.1:${port}` };
  };

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    // No INFISICAL_* credentials at all: the public value comes in as a plain build variable.
    buildOutput = await nextBuild({
      NEXT_TELEMETRY_DISABLED: '1',
      INFISICAL_SKIP: 'true',
      NEXT_PUBLIC_GREETING: GREETING,
      NEXT_OUTPUT: 'standalone',
      NEXT_DIST_DIR: distName,
    });
    // As Next documents: static files are copied beside server.js.
    await cp(join(distDir, 'static'), join(serverDir, distName, 'static'), {
      recursive: true,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.stop();
    await emulator?.close();
  });

  it('builds without credentials and says the leak check was skipped', () => {
    expect(buildOutput).toContain(
      'Infisical: leak check of .next-test-standalone/static skipped: secrets were not loaded (skip / INFISICAL_SKIP=true).',
    );
  });

  it('loads the secrets when server.js starts and serves the same values', async () => {
    const { baseUrl } = await startServer(appEnv(emulator, { INFISICAL_CACHE_TTL: '1' }));
    await waitForHttp(baseUrl);
    expect(await renderedValues(browser, baseUrl)).toEqual({
      serverSecret: SESSION_SECRET_MASKED,
      greeting: GREETING,
    });
    expect((await apiSecret(baseUrl)).masked).toBe(SESSION_SECRET_MASKED);
    expect((await apiSecret(baseUrl, '/api/edge-secret')).masked).toBe(SESSION_SECRET_MASKED);
  });

  it('refuses to serve when a required secret is missing at start, naming it', async () => {
    // staging has neither SESSION_SECRET nor NEXT_PUBLIC_GREETING.
    const { server, baseUrl } = await startServer(
      appEnv(emulator, { INFISICAL_ENVIRONMENT: 'staging' }),
    );
    await server.waitFor(/Ready/);
    const answer = await fetch(baseUrl, { signal: AbortSignal.timeout(10_000) }).then(
      (response) => response.status,
      () => 'no answer',
    );
    expect(answer).not.toBe(200);
    await server.waitFor(/MISSING_SECRETS/);
    expect(server.output()).toMatch(
      /Required secrets are missing: SESSION_SECRET, NEXT_PUBLIC_GREETING/,
    );
    const values = Object.values(await seedValues(emulator)).filter((value) => value.length > 5);
    for (const value of values) expect(server.output()).not.toContain(value);
  });
});
