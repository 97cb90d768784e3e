import type { Emulator } from '@infisical/emulator';
import type { Browser } from 'playwright-core';
import { launchChromium, type RunningProcess, startDemoEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSecret,
  appEnv,
  GREETING,
  renderedValues,
  SESSION_SECRET_MASKED,
  startNext,
} from './app.ts';

describe('next dev', () => {
  let emulator: Emulator;
  let server: RunningProcess;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    ({ server, baseUrl } = await startNext('dev', appEnv(emulator)));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await emulator?.close();
  });

  it('serves the page with the server secret masked and the public greeting', async () => {
    expect(await renderedValues(browser, baseUrl)).toEqual({
      serverSecret: SESSION_SECRET_MASKED,
      greeting: GREETING,
    });
    expect((await apiSecret(baseUrl)).masked).toBe(SESSION_SECRET_MASKED);
  });
});
