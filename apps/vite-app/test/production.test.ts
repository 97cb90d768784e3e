import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '@infisical/emulator';
import { launchChromium, startDemoEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, filesUnder, privateDemoValues, serveVite, viteBuild } from './app.ts';

const GREETING = 'Hello from Infisical, through Vite (dev)';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startDemoEmulator();
  const built = await viteBuild(emulator);
  expect(built.code, built.output).toBe(0);
});
afterAll(async () => {
  await emulator.close();
  rmSync(join(APP_DIR, 'test/fixtures/leaky/dist'), { recursive: true, force: true });
});

describe('production build', () => {
  it('vite preview serves a page that shows the public secret in Chromium', async () => {
    const { server: preview, url } = await serveVite(emulator, 'preview');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await expect.poll(() => page.textContent('#greeting')).toBe(GREETING);
    } finally {
      await browser.close();
      await preview.stop();
    }
  });

  it('vite preview serves the dashboard JSON at /api/secrets (a server middleware)', async () => {
    const { server: preview, url } = await serveVite(emulator, 'preview');
    try {
      const body = await (await fetch(`${url}api/secrets`)).json();
      expect(body).toMatchObject({
        app: 'vite',
        source: 'infisical',
        values: { DB_PASSWORD: '…rd (16 characters)', DB_PORT: '… (4 characters)' },
        public: { VITE_PUBLIC_GREETING: GREETING },
        changedAt: null,
      });
      expect(new Date(body.loadedAt).toISOString()).toBe(body.loadedAt);
      for (const value of Object.values(await privateDemoValues(emulator))) {
        if (value.length > 4) expect(JSON.stringify(body)).not.toContain(value);
      }
    } finally {
      await preview.stop();
    }
  });

  it('holds no private value in any built file', async () => {
    const values = await privateDemoValues(emulator);
    expect(Object.keys(values)).toEqual(
      expect.arrayContaining([
        'DB_PASSWORD',
        'DATABASE_URL',
        'API_TOKEN',
        'SESSION_SECRET',
        'PAYMENTS_KEY',
        'NEXT_PUBLIC_GREETING',
        'FEATURE_FLAGS',
      ]),
    );
    const files = filesUnder(join(APP_DIR, 'dist'));
    expect(files.length).toBeGreaterThan(1);
    const found = files.flatMap(({ file, text }) =>
      Object.entries(values)
        .filter(([, value]) => text.includes(value))
        .map(([key]) => `${key} in ${file}`),
    );
    expect(found).toEqual([]);
  });

  it('fails the build of a variant that puts a private value in client code, naming the key', async () => {
    const { code, output } = await viteBuild(emulator, 'test/fixtures/leaky');
    expect(code).toBe(1);
    expect(output).toMatch(
      /Private secret value found in the client build \(dist\): API_TOKEN in assets\/index-[\w-]+\.js/,
    );
    expect(output).not.toContain('demo-api-token-0003');
  });
});
