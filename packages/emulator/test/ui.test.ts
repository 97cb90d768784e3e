import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// test-utils depends on the emulator, so the emulator reaches its Chromium helper by path.
import { launchChromium } from '../../test-utils/src/chromium.ts';
import { type Emulator, type SeedInput, startEmulator } from '../src/index.ts';
import { uiAddress } from '../src/ui/pages.ts';

type Browser = Awaited<ReturnType<typeof launchChromium>>;
type Page = Awaited<ReturnType<Browser['newPage']>>;

/** Values that occur nowhere else, so finding one in the page means the page holds it. */
const VALUES = {
  UI_ALPHA: 'alpha-value-7f3k2',
  UI_BETA: 'beta-value-9q2m6',
  UI_REF: 'ref-${UI_ALPHA}-x1w8',
};
const CLIENT_SECRET = 'ui-client-secret-5w1z0';
const SEED: SeedInput = {
  projects: [
    {
      slug: 'ui-project',
      environments: [
        { slug: 'dev', secrets: { '/': VALUES, '/nested': { UI_GAMMA: 'gamma-value-4h8n3' } } },
        'prod',
      ],
    },
  ],
  identities: [
    {
      name: 'ui-app',
      universalAuth: { clientId: 'ui-client-id', clientSecret: CLIENT_SECRET },
      projects: { 'ui-project': 'admin' },
    },
  ],
};
const SECRET_TEXTS = [...Object.values(VALUES), 'gamma-value-4h8n3', CLIENT_SECRET];

let emulator: Emulator;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED });
  browser = await launchChromium(['--host-resolver-rules=MAP *.test 127.0.0.1']);
});
afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});
beforeEach(async () => {
  emulator.reset();
  page = await browser.newPage();
  await page.goto(uiAddress(emulator.url, emulator.controlToken));
  await page.locator('#secrets tbody tr[data-key="UI_ALPHA"]').waitFor();
  await expect.poll(() => page.textContent('#live')).toBe('live');
});
afterEach(() => page?.close());

const row = (key: string) => page.locator(`#secrets tbody tr[data-key="${key}"]`);

/** Everything the page holds in its DOM: markup, attributes and input values. */
const pageText = () =>
  page.evaluate(
    () =>
      document.documentElement.outerHTML +
      [...document.querySelectorAll('input')].map((input) => input.value).join('\n'),
  );

/** An app's read of a secret through the Infisical API. */
async function readThroughApi(key: string): Promise<{ status: number; value?: string }> {
  const login = await fetch(`${emulator.url}/api/v1/auth/universal-auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: 'ui-client-id', clientSecret: CLIENT_SECRET }),
  });
  if (login.status !== 200) return { status: login.status };
  const { accessToken } = (await login.json()) as { accessToken: string };
  const project = emulator.store.projectBySlug('ui-project')?.id as string;
  const res = await fetch(
    `${emulator.url}/api/v3/secrets/raw/${key}?workspaceId=${project}&environment=dev`,
    { headers: { authorization: `Bearer ${accessToken}` } },
  );
  if (res.status !== 200) return { status: res.status };
  const body = (await res.json()) as { secret: { secretValue: string } };
  return { status: 200, value: body.secret.secretValue };
}

describe('the web UI in Chromium', () => {
  it('takes the token from the fragment into sessionStorage and out of the address bar', async () => {
    expect(page.url()).toBe(`${emulator.url}/_emulator/ui`);
    expect(
      await page.evaluate(() => sessionStorage.getItem('infisical-emulator-control-token')),
    ).toBe(emulator.controlToken);
  });

  it('lists the seed secrets masked, with no value in the page until one is clicked', async () => {
    const keys = await page
      .locator('#secrets tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    expect(keys).toEqual(['UI_ALPHA', 'UI_BETA', 'UI_REF']);
    await expect.poll(() => row('UI_ALPHA').locator('.value').textContent()).toBe('••••••••');
    const before = await pageText();
    for (const text of SECRET_TEXTS) expect(before).not.toContain(text);

    await row('UI_ALPHA').locator('.value').click();
    await expect.poll(() => row('UI_ALPHA').locator('.value').textContent()).toBe(VALUES.UI_ALPHA);
    const after = await pageText();
    for (const text of SECRET_TEXTS.filter((t) => t !== VALUES.UI_ALPHA))
      expect(after).not.toContain(text);

    await row('UI_ALPHA').locator('.value').click();
    await expect.poll(() => row('UI_ALPHA').locator('.value').textContent()).toBe('••••••••');
    expect(await pageText()).not.toContain(VALUES.UI_ALPHA);
  });

  it('shows the folders of an environment and their secrets', async () => {
    await page.locator('button[data-folder="ui-project/dev/nested"]').click();
    await row('UI_GAMMA').waitFor();
    expect(await page.textContent('#location')).toContain('/nested');
  });

  it('edits a value, and a client reading through the API sees it', async () => {
    await row('UI_BETA').locator('button[data-action="edit"]').click();
    await row('UI_BETA').locator('input.edit-value').fill('edited-in-the-ui');
    await row('UI_BETA').locator('button[data-action="save"]').click();
    await expect
      .poll(() => page.textContent('#secrets-message'))
      .toContain('UI_BETA saved: version 2');
    expect(await readThroughApi('UI_BETA')).toEqual({ status: 200, value: 'edited-in-the-ui' });
    await expect.poll(() => row('UI_BETA').locator('td').nth(2).textContent()).toBe('v2');
  });

  it('rotates a value: a new version with a fresh value, still masked', async () => {
    await row('UI_ALPHA').locator('button[data-action="rotate"]').click();
    await expect.poll(() => row('UI_ALPHA').locator('td').nth(2).textContent()).toBe('v2');
    const rotated = emulator.secretValue({
      project: 'ui-project',
      environment: 'dev',
      key: 'UI_ALPHA',
    });
    expect(rotated?.value).toMatch(/^rotated-[0-9a-f]{36}$/);
    expect(await pageText()).not.toContain(rotated?.value);
    expect((await readThroughApi('UI_ALPHA')).value).toBe(rotated?.value);
  });

  it('shows a secret rotated from outside without a reload', async () => {
    emulator.setSecret({
      project: 'ui-project',
      environment: 'dev',
      key: 'UI_DELTA',
      value: 'x-delta-1',
    });
    await row('UI_DELTA').waitFor();
  });

  it('switches a fault on and off, and the next API request gets it', async () => {
    await page.locator('input[data-preset="down"]').check();
    await expect.poll(() => emulator.faults().length).toBe(1);
    expect((await fetch(`${emulator.url}/api/status`)).status).toBe(503);
    await expect.poll(() => page.locator('#faults li').count()).toBe(1);
    expect(await page.textContent('#faults')).toContain('*: status 503');

    await page.locator('input[data-preset="down"]').uncheck();
    await expect.poll(() => emulator.faults().length).toBe(0);
    expect((await fetch(`${emulator.url}/api/status`)).status).toBe(200);
  });

  it('adds a custom fault for the next request only', async () => {
    await page.fill('#add-fault input[name="route"]', 'GET /api/status');
    await page.selectOption('#add-fault select[name="kind"]', 'status');
    await page.fill('#add-fault input[name="amount"]', '502');
    await page.fill('#add-fault input[name="times"]', '1');
    await page.click('#add-fault button[type="submit"]');
    await expect.poll(() => emulator.faults().length).toBe(1);
    expect((await fetch(`${emulator.url}/api/status`)).status).toBe(502);
    expect((await fetch(`${emulator.url}/api/status`)).status).toBe(200);
    await expect.poll(() => page.locator('#faults li').count()).toBe(0);
  });

  it('moves the request counter and the log live', async () => {
    const before = Number(await page.textContent('#total'));
    await fetch(`${emulator.url}/api/status`);
    await fetch(`${emulator.url}/api/status`);
    await expect.poll(async () => Number(await page.textContent('#total'))).toBe(before + 2);
    expect(await page.textContent('#counts')).toContain('GET /api/status');
    expect(await page.textContent('#log')).toContain('GET /api/status');
  });

  it('shows the INFISICAL_* lines with the client secret masked until clicked', async () => {
    await expect.poll(() => page.textContent('#credentials')).toContain('INFISICAL_SITE_URL=');
    const lines = await page.textContent('#credentials');
    expect(lines).toBe(
      [
        `INFISICAL_SITE_URL=${emulator.url}`,
        'INFISICAL_UNIVERSAL_AUTH_CLIENT_ID=ui-client-id',
        'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET=••••••••',
        `INFISICAL_PROJECT_ID=${emulator.store.projectBySlug('ui-project')?.id}`,
        'INFISICAL_ENVIRONMENT=dev',
      ].join('\n'),
    );
    await page.click('#reveal-client-secret');
    await expect
      .poll(() => page.textContent('#credentials'))
      .toContain(`INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET=${CLIENT_SECRET}`);
    await page.selectOption('#cred-environment', 'prod');
    await expect
      .poll(() => page.textContent('#credentials'))
      .toContain('INFISICAL_ENVIRONMENT=prod');
    expect(await pageText()).not.toContain(CLIENT_SECRET);
  });

  it('asks for the token when opened without one, from /', async () => {
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${emulator.url}/`);
      expect(fresh.url()).toBe(`${emulator.url}/_emulator/ui`);
      await fresh.locator('#login').waitFor();
      expect(await fresh.isHidden('#app')).toBe(true);
      await fresh.fill('#token-input', 'not-the-control-token');
      await fresh.click('#login-form button');
      await expect
        .poll(() => fresh.textContent('#login-error'))
        .toContain('control token is wrong');
      await fresh.fill('#token-input', emulator.controlToken);
      await fresh.click('#login-form button');
      await fresh.locator('#secrets tbody tr[data-key="UI_ALPHA"]').waitFor();
    } finally {
      await fresh.close();
    }
  });
});

describe('other sites in Chromium', () => {
  let site: Server;
  let sitePort: number;
  beforeAll(async () => {
    // A page on another site that tries to reach the emulator (its control API and its API).
    site = createServer((_req, res) => {
      const target = emulator.url;
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><form id="f" method="POST" action="${target}/_emulator/reset" enctype="text/plain">
        <input name='{"route":"*","status":503,"x":"' value='"}'></form>
        <script>
          window.attempts = Promise.allSettled([
            fetch('${target}/_emulator/faults', { method: 'POST', mode: 'no-cors', body: '{"route":"*","status":503}' }),
            fetch('${target}/api/status').then((r) => r.text()),
          ]).then((results) => results.map((r) => r.status));
        </script>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    sitePort = (site.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));

  it('cannot change or read the emulator from a page of another site', async () => {
    emulator.setSecret({
      project: 'ui-project',
      environment: 'dev',
      key: 'UI_KEEP',
      value: 'kept',
    });
    const evil = await browser.newPage();
    try {
      await evil.goto(`http://evil.test:${sitePort}/`);
      // The no-cors POST is sent (its answer is opaque), the CORS read fails: no CORS headers.
      expect(await evil.evaluate(() => (window as any).attempts)).toEqual([
        'fulfilled',
        'rejected',
      ]);
      const answered = evil.waitForResponse((res) => res.url().endsWith('/_emulator/reset'));
      await evil.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit());
      expect((await answered).status()).toBe(403);
    } finally {
      await evil.close();
    }
    expect(emulator.faults()).toEqual([]);
    expect(
      emulator.secretValue({ project: 'ui-project', environment: 'dev', key: 'UI_KEEP' })?.value,
    ).toBe('kept');
  });

  it('refuses a name rebound to 127.0.0.1 (DNS rebinding)', async () => {
    const rebound = await browser.newPage();
    try {
      const port = new URL(emulator.url).port;
      const res = await rebound.goto(`http://rebound.test:${port}/_emulator/ui`);
      expect(res?.status()).toBe(403);
      const api = await rebound.goto(`http://rebound.test:${port}/api/status`);
      expect(api?.status()).toBe(403);
      expect(await api?.text()).toContain('is not allowed');
    } finally {
      await rebound.close();
    }
  });
});
