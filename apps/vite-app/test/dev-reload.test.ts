import type { Emulator } from '@infisical/emulator';
import { launchChromium, startDemoEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveVite } from './app.ts';

const LOGIN = 'POST /api/v1/auth/universal-auth/login';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startDemoEmulator();
});
afterAll(() => emulator.close());

describe('dev server', () => {
  it('reloads the page with a rotated public secret, restarting nothing', async () => {
    const { server: dev, url } = await serveVite(emulator, 'dev');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await expect
        .poll(() => page.textContent('#greeting'))
        .toBe('Hello from Infisical, through Vite (dev)');
      await page.evaluate(() => Object.assign(window, { beforeRotation: true }));

      emulator.setSecret({
        project: 'demo-app',
        environment: 'dev',
        key: 'VITE_PUBLIC_GREETING',
        value: 'Rotated: hello again',
      });
      await expect
        .poll(() => page.textContent('#greeting'), { timeout: 20_000 })
        .toBe('Rotated: hello again');

      // The page reloaded (its state is gone); the same dev server, logged in once, served it.
      expect(await page.evaluate(() => 'beforeRotation' in window)).toBe(false);
      expect(dev.child.exitCode).toBeNull();
      expect(dev.output()).toContain('public secrets changed: reloading the page');
      expect(dev.output()).not.toMatch(/server restarted/i);
      expect(emulator.requestCount(LOGIN)).toBe(1);
      const report = await (await fetch(`${url}api/secrets`)).json();
      expect(report).toMatchObject({
        app: 'vite',
        public: { VITE_PUBLIC_GREETING: 'Rotated: hello again' },
      });
      expect(report.changedAt).not.toBeNull();
    } finally {
      await browser.close();
      await dev.stop();
    }
  });
});
