/**
 * Regenerates `docs/demo-dashboard.png`, the root README's picture of the dashboard: runs the
 * demo on free ports, opens the dashboard in headless Chromium (Debian's, never a download),
 * rotates a secret and floods the apps, waits until both results show, and saves the page.
 * Run with `pnpm --filter demo screenshot` (the packages built, as for `pnpm demo`).
 *
 * @module demo/screenshot
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchChromium } from 'test-utils';
import { startDemo } from './harness.ts';

const OUT = fileURLToPath(new URL('../docs/demo-dashboard.png', import.meta.url));
const WIDTH = 1440;

const demo = await startDemo();
const browser = await launchChromium(['--force-device-scale-factor=1']);
try {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
  await page.goto(demo.dashboardUrl);
  for (const app of ['vite', 'next', 'nest', 'express'])
    await page.waitForSelector(`th[data-app="${app}"][data-state="live"]`, { timeout: 60_000 });
  await page.click('#rotate');
  await page.waitForSelector('#rotate-result[data-done="true"]', { timeout: 60_000 });
  await page
    .frameLocator('#app-frame')
    .locator('#greeting', { hasText: 'rotation 1' })
    .waitFor({ timeout: 30_000 });
  await page.click('#flood');
  await page.waitForSelector('#flood-result[data-running="false"][data-reads]', {
    timeout: 300_000,
  });
  // A viewport as tall as the page: a full-page capture would leave the Vite frame blank.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: WIDTH, height });
  await page.waitForTimeout(500);
  await mkdir(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });
  await page.screenshot({ path: OUT });
  console.log(`Saved ${OUT} (${WIDTH}×${height}).`);
} finally {
  await browser.close();
  await demo.stop();
}
