/**
 * The README's demo, run headless: the emulator, the four example apps and the dashboard start;
 * every URL of the table answers with secrets from the emulator; the dashboard, in Chromium,
 * shows every app's values and its buttons do what they say (rotate, flood, Infisical down and
 * back); Ctrl-C (SIGINT) stops everything. One demo run serves the tests below, in order.
 */
import { maskSecret } from '@infisical/core';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from './dashboard/snapshot.js';
import { type DemoRun, startDemo } from './harness.ts';

/** The apps' cache TTL in this run: short, so rotation and recovery are quick. */
const TTL_SECONDS = 2;
const FLOOD_READS = 1000;
const APPS = ['vite', 'next', 'nest', 'express'];
const PRIVATE_VALUES = ['demo-db-password', 'demo-session-secret-3f9a1c', 'demo-api-token-0003'];

let demo: DemoRun;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  demo = await startDemo({
    INFISICAL_CACHE_TTL: String(TTL_SECONDS),
    DEMO_FLOOD_READS: String(FLOOD_READS),
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1300 } });
});

afterAll(async () => {
  await browser?.close();
  if (demo && demo.proc.child.exitCode === null) await demo.proc.stop();
});

async function state(): Promise<Snapshot> {
  return (await fetch(`${demo.dashboardUrl}api/state`)).json() as Promise<Snapshot>;
}

async function get(port: number, path: string): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}${path}`)).text();
}

/** The text of every app's cell in a row of the dashboard's table. */
async function row(key: string): Promise<string[]> {
  return page.locator(`#matrix-body tr[data-key="${key}"] td[data-app]`).allTextContents();
}

describe('the demo', () => {
  it('prints one table of URLs, each answering, with secrets from the emulator and none in clear', async () => {
    expect(demo.table.map((entry) => entry.label)).toEqual([
      'Dashboard',
      'Infisical emulator',
      'Vite',
      'Next.js',
      'NestJS',
      'Express',
    ]);
    const [dashboard, emulator, ...apps] = demo.table.map((entry) => entry.url);
    expect((await fetch(String(dashboard))).status).toBe(200);
    expect((await fetch(`${emulator}/api/status`)).status).toBe(200);
    for (const url of apps) expect((await fetch(url)).status).toBe(200);

    const { ports } = demo;
    expect(await get(ports.vite, '/')).toContain('/@vite/client'); // the dev server
    expect(await get(ports.next, '/')).toContain('Hello from Infisical, through Next.js (dev)');
    expect(await get(ports.nest, '/')).toContain('NestJS + Infisical');
    expect(await get(ports.express, '/')).toContain('Express + Infisical');
    const mask = maskSecret('demo-session-secret-3f9a1c');
    for (const port of [ports.vite, ports.next, ports.nest, ports.express]) {
      const report = JSON.parse(await get(port, '/api/secrets'));
      expect(report).toMatchObject({ source: 'infisical', values: { SESSION_SECRET: mask } });
    }
    const served = [
      await get(ports.next, '/'),
      await get(ports.nest, '/secrets/DATABASE_URL'),
      await get(ports.express, '/secrets'),
      demo.proc.output(),
    ].join('\n');
    for (const value of PRIVATE_VALUES) expect(served).not.toContain(value);
  });

  it('dashboard: the four apps side by side, each value masked the same way, the counters live', async () => {
    await page.goto(demo.dashboardUrl);
    await expect.poll(() => page.getAttribute('#live', 'data-state')).toBe('on');
    for (const app of APPS) {
      await expect
        .poll(() => page.getAttribute(`th[data-app="${app}"]`, 'data-state'))
        .toBe('live');
    }
    const mask = maskSecret('demo-session-secret-3f9a1c');
    await expect.poll(() => row('SESSION_SECRET')).toEqual([mask, mask, mask, mask]);
    await expect
      .poll(() => row('API_TOKEN'))
      .toEqual(Array(4).fill(maskSecret('demo-api-token-0003')));
    // Public values as the apps serve them: Vite's own public key in clear, masked elsewhere.
    const greeting = await row('VITE_PUBLIC_GREETING');
    expect(greeting[0]).toBe('Hello from Infisical, through Vite (dev)');
    expect(greeting.slice(1)).toEqual(
      Array(3).fill(maskSecret('Hello from Infisical, through Vite (dev)')),
    );
    await expect
      .poll(async () => Number(await page.getAttribute('#count-logins', 'data-value')))
      .toBeGreaterThanOrEqual(4);
    await expect
      .poll(async () => Number(await page.getAttribute('#count-lists', 'data-value')))
      .toBeGreaterThan(0);
    const html = await page.content();
    for (const value of PRIVATE_VALUES) expect(html).not.toContain(value);

    // The emulator's UI link: the token is not in the page; the dashboard's redirect carries it
    // in the fragment, to this machine only.
    const session = await (
      await fetch(`${demo.dashboardUrl}emulator-ui`, { redirect: 'manual' })
    ).headers.get('location');
    expect(session).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${demo.ports.emulator}/_emulator/ui#token=.{16,}`),
    );
    const token = decodeURIComponent(String(session?.split('#token=')[1]));
    expect(html).not.toContain(token);
    expect(await (await fetch(`${demo.dashboardUrl}api/state`)).text()).not.toContain(token);
    const ui = await browser.newPage();
    await ui.goto(`${demo.dashboardUrl}emulator-ui`);
    await expect.poll(() => ui.url()).toMatch(/\/_emulator\/ui$/);
    await ui.close();
  });

  it('rotate: every app serves the new masked value, the Vite page reloads, nothing restarts', async () => {
    const before = await state();
    const frame = page.frameLocator('#app-frame');
    await expect
      .poll(() => frame.locator('#greeting').textContent())
      .toContain('Hello from Infisical');
    const loadsBefore = Number(await page.getAttribute('#frame-loads', 'data-loads'));

    await page.click('#rotate');
    await expect
      .poll(() => page.getAttribute('#rotate-result', 'data-done'), { timeout: 30_000 })
      .toBe('true');
    const { rotation, apps } = await state();
    const mask = rotation?.keys.find((key) => key.key === 'SESSION_SECRET')?.mask;
    expect(mask).toMatch(/^….. \(35 characters\)$/);
    expect(await row('SESSION_SECRET')).toEqual([mask, mask, mask, mask]);
    expect(await page.locator('#matrix-body tr[data-key="SESSION_SECRET"] td.new').count()).toBe(4);
    // Each app, asked directly, serves it; none restarted (the same loadedAt) but each changed.
    for (const app of apps) {
      const report = JSON.parse(
        await (await fetch(app.endpoint)).text(),
      ) as Snapshot['apps'][number]['report'];
      expect(report?.values.SESSION_SECRET).toBe(mask);
      const earlier = before.apps.find((candidate) => candidate.id === app.id)?.report;
      expect(report?.loadedAt).toBe(earlier?.loadedAt);
      expect(report?.changedAt).not.toBeNull();
      expect(rotation?.sameProcess[app.id]).toBe(true);
    }
    await expect.poll(() => page.textContent('#rotate-result')).toContain('none restarted');

    // The Vite page reloaded itself with the new public value.
    await expect
      .poll(() => frame.locator('#greeting').textContent(), { timeout: 20_000 })
      .toBe('Hello again from Infisical, through Vite (rotation 1)');
    expect(Number(await page.getAttribute('#frame-loads', 'data-loads'))).toBeGreaterThan(
      loadsBefore,
    );
    expect(await row('VITE_PUBLIC_GREETING').then((cells) => cells[0])).toBe(
      'Hello again from Infisical, through Vite (rotation 1)',
    );
  });

  it('flood: thousands of reads, every one answered, and the list counter moves by a few', async () => {
    await page.click('#flood');
    await expect
      .poll(() => page.getAttribute('#flood-result', 'data-reads'), { timeout: 180_000 })
      .toBe(String(FLOOD_READS * APPS.length));
    const result = page.locator('#flood-result');
    const lists = Number(await result.getAttribute('data-lists'));
    const durationMs = Number(await result.getAttribute('data-duration-ms'));
    expect(Number(await result.getAttribute('data-logins'))).toBe(0);
    expect(await result.textContent()).toContain(
      `${(FLOOD_READS * APPS.length).toLocaleString('en-US')} reads →`,
    );
    // No more lists than the apps' own refetch timers make in that time (each app once per TTL,
    // the Vite dev server every 2 s), with one extra per app for a refetch under way.
    const bound = APPS.length * (Math.ceil(durationMs / 1000 / Math.min(2, TTL_SECONDS)) + 1);
    expect(lists).toBeLessThanOrEqual(bound);
    expect(lists).toBeLessThan((FLOOD_READS * APPS.length) / 50);
    const { flood } = await state();
    expect(flood?.running).toBe(false);
    for (const app of APPS)
      expect(flood?.apps[app]).toMatchObject({ done: FLOOD_READS, ok: FLOOD_READS });
  });

  it('Infisical down: the apps keep serving their last values while requests fail; back up, they recover', async () => {
    const mask = (await state()).rotation?.keys[0]?.mask;
    const failedBefore = Number(await page.getAttribute('#count-failed', 'data-value'));
    await page.click('#down-503');
    await expect.poll(() => page.textContent('#infisical-state')).toBe('Infisical: down (503)');
    for (const app of APPS) {
      await expect
        .poll(() => page.getAttribute(`th[data-app="${app}"]`, 'data-state'))
        .toBe('stale');
    }
    await expect
      .poll(async () => Number(await page.getAttribute('#count-failed', 'data-value')), {
        timeout: 20_000,
      })
      .toBeGreaterThan(failedBefore);
    await expect.poll(() => page.locator('#log tr.failed').count()).toBeGreaterThan(0);
    expect(await row('SESSION_SECRET')).toEqual([mask, mask, mask, mask]);

    // Connections dropped instead: still serving.
    await page.click('#down-reset');
    await expect
      .poll(() => page.textContent('#infisical-state'))
      .toBe('Infisical: down (connection reset)');
    const failedAtSwitch = (await state()).emulator.failed;
    await expect
      .poll(async () => (await state()).emulator.failed, { timeout: 20_000 })
      .toBeGreaterThan(failedAtSwitch);
    for (const app of (await state()).apps) {
      expect(app.state).toBe('stale');
      const report = JSON.parse(await (await fetch(app.endpoint)).text());
      expect(report.values.SESSION_SECRET).toBe(mask);
    }
    const { outage } = await state();
    expect(outage?.polls).toBeGreaterThan(0);
    expect(outage?.pollsOk).toBe(outage?.polls);

    await page.click('#up');
    await expect.poll(() => page.textContent('#infisical-state')).toBe('Infisical: up');
    await expect
      .poll(() => page.getAttribute('#outage-result', 'data-state'), { timeout: 45_000 })
      .toBe('recovered');
    for (const app of APPS) {
      await expect
        .poll(() => page.getAttribute(`th[data-app="${app}"]`, 'data-state'))
        .toBe('live');
    }
    expect((await state()).emulator.faults).toEqual([]);
    expect(await page.textContent('#outage-result')).toMatch(/answered (\S+) of \1 reads/);
  });

  it('stops cleanly on SIGINT (Ctrl-C)', async () => {
    await page.close();
    expect(await demo.stop()).toBe(0);
    expect(demo.proc.output()).toContain('Demo stopped.');
    for (const port of Object.values(demo.ports)) {
      await expect(
        fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }),
      ).rejects.toThrow();
    }
  });
});
