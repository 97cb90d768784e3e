import type { Emulator } from '@infisical/emulator';
import type { Browser } from 'playwright-core';
import {
  freePort,
  launchChromium,
  type RunningProcess,
  startDemoEmulator,
  waitForHttp,
} from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSecret, appEnv, GREETING, nextServer, SESSION_SECRET_MASKED } from './app.ts';

describe('next dev', () => {
  let emulator: Emulator;
  let server: RunningProcess;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = nextServer('dev', port, appEnv(emulator));
    await waitForHttp(baseUrl);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await emulator?.close();
  });

  it('serves the page with the server secret masked and the public greeting', async () => {
    const page = await browser.newPage();
    await page.goto(baseUrl);
    await page.locator('#greeting[data-hydrated="true"]').waitFor();
    expect(await page.textContent('#server-secret')).toBe(SESSION_SECRET_MASKED);
    expect(await page.textContent('#greeting')).toBe(GREETING);
    await page.close();
    expect((await apiSecret(baseUrl)).masked).toBe(SESSION_SECRET_MASKED);
  });
});
