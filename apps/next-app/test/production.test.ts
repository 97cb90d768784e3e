import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emulator } from '@infisical/emulator';
import type { Browser } from 'playwright-core';
import { launchChromium, type RunningProcess, startDemoEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_DIR,
  apiSecret,
  appEnv,
  DIST_DIR,
  eventually,
  GREETING,
  keysFoundIn,
  nextBuild,
  renderedValues,
  SESSION_SECRET_MASKED,
  seedValues,
  startNext,
} from './app.ts';

describe('next build + next start', () => {
  let emulator: Emulator;
  let server: RunningProcess;
  let browser: Browser;
  let buildOutput: string;
  let baseUrl: string;

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    buildOutput = await nextBuild(appEnv(emulator));
    ({ server, baseUrl } = await startNext(
      'start',
      appEnv(emulator, { INFISICAL_CACHE_TTL: '1' }),
    ));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await emulator?.close();
  });

  it('checks the client output for private values during the build', () => {
    expect(buildOutput).toMatch(
      /✓ Infisical: no private secret value in \.next-test\/static \(\d+ checked\)/,
    );
  });

  it('shows the server secret masked and the public greeting in the browser', async () => {
    expect(await renderedValues(browser, baseUrl)).toEqual({
      serverSecret: SESSION_SECRET_MASKED,
      greeting: GREETING,
    });
  });

  it('serves the secret through the runtime accessor, on Node.js and on Edge', async () => {
    expect(await apiSecret(baseUrl)).toEqual({
      key: 'SESSION_SECRET',
      masked: SESSION_SECRET_MASKED,
      runtime: 'nodejs',
    });
    expect(await apiSecret(baseUrl, '/api/edge-secret')).toEqual({
      key: 'SESSION_SECRET',
      masked: SESSION_SECRET_MASKED,
      runtime: 'edge',
    });
  });

  it('serves the dashboard JSON at /api/secrets: private values masked, public ones as they are', async () => {
    const response = await fetch(`${baseUrl}/api/secrets`);
    const body = await response.json();
    expect(body).toMatchObject({
      app: 'next',
      source: 'infisical',
      values: { SESSION_SECRET: SESSION_SECRET_MASKED, DB_PORT: '… (4 characters)' },
      public: { NEXT_PUBLIC_GREETING: GREETING },
      changedAt: null,
    });
    expect(body.values.NEXT_PUBLIC_GREETING).toBeUndefined();
    expect(new Date(body.loadedAt).toISOString()).toBe(body.loadedAt);
    const values = await seedValues(emulator);
    for (const [key, value] of Object.entries(values)) {
      if (!key.startsWith('NEXT_PUBLIC_') && value.length > 4)
        expect(JSON.stringify(body)).not.toContain(value);
    }
  });

  it('ships no private value to the browser, and the public one inlined', async () => {
    const values = await seedValues(emulator);
    const { NEXT_PUBLIC_GREETING, ...privateValues } = values;
    // `localhost` (DB_HOST) is in Next's own client runtime, and `5432` is too short to mean anything.
    const { DB_HOST, DB_PORT, ...distinctive } = privateValues;
    expect(Object.keys(distinctive)).toContain('SESSION_SECRET');
    const staticDir = join(APP_DIR, DIST_DIR, 'static');
    expect(await keysFoundIn(staticDir, distinctive)).toEqual([]);
    expect(await keysFoundIn(staticDir, { NEXT_PUBLIC_GREETING: GREETING })).toEqual([
      'NEXT_PUBLIC_GREETING',
    ]);
  });

  it('follows a rotation after the cache TTL, without a rebuild or a restart', async () => {
    const buildId = await readFile(join(APP_DIR, DIST_DIR, 'BUILD_ID'), 'utf8');
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'SESSION_SECRET',
      value: 'rotated-session-secret-77',
    });
    const rotated = '…77 (25 characters)';
    await eventually(async () => (await apiSecret(baseUrl)).masked === rotated);
    await eventually(async () => (await apiSecret(baseUrl, '/api/edge-secret')).masked === rotated);

    const page = await browser.newPage();
    await page.goto(baseUrl);
    expect(await page.textContent('#server-secret')).toBe(rotated);
    await page.close();

    const report = await (await fetch(`${baseUrl}/api/secrets`)).json();
    expect(report.values.SESSION_SECRET).toBe(rotated);
    expect(report.changedAt).not.toBeNull();
    expect(await readFile(join(APP_DIR, DIST_DIR, 'BUILD_ID'), 'utf8')).toBe(buildId);
    expect(server.child.exitCode).toBeNull();
    expect(server.output().match(/Ready in/g)).toHaveLength(1);
  });
});
