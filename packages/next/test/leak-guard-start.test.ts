/**
 * The runtime leak guard with the real framework: one `next build` of an app whose dynamic pages
 * render a private secret (HTML) and pass one to a client component (RSC payload), then
 * `next start` with `INFISICAL_LEAK_GUARD` off, `report` and `block`, over real HTTP.
 *
 * @module
 */
import type { Emulator } from '@infisical/emulator';
import { infisicalEnv, type RunningProcess, startDemoEmulator } from 'test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp, nextBuild, nextStart, REGISTER_FROM_ENV_APP } from './fixture-app.ts';

const SESSION_SECRET = 'demo-session-secret-3f9a1c';
const API_TOKEN = 'demo-api-token-0003';
const GREETING = 'Hello from Infisical, through Next.js (dev)';

describe('register({ leakGuard }) in next start, dynamic pages', () => {
  let emulator: Emulator;
  let dir: string;
  let server: RunningProcess | undefined;
  let build: { code: number | null; output: string };

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    // The mode comes from INFISICAL_LEAK_GUARD, so one build serves every case.
    dir = await fixtureApp('leak-guard-app', {
      ...REGISTER_FROM_ENV_APP,
      'app/rendered/page.js': `import { getSecret } from '@infisical/next/runtime';
export const dynamic = 'force-dynamic';
export default async function Page() {
  return <main><p>session: {await getSecret('SESSION_SECRET')}</p></main>;
}`,
      'app/prop/page.js': `import { getSecret } from '@infisical/next/runtime';
import { Token } from './token';
export const dynamic = 'force-dynamic';
export default async function Page() {
  return <main><Token token={await getSecret('API_TOKEN')} /></main>;
}`,
      'app/prop/token.js': `'use client';
export function Token({ token }) { return <span data-length={token.length} />; }`,
      'app/greeting/page.js': `import { getSecret } from '@infisical/next/runtime';
export const dynamic = 'force-dynamic';
export default async function Page() {
  return <main><p>{await getSecret('NEXT_PUBLIC_GREETING')}</p></main>;
}`,
    });
    build = await nextBuild(dir, infisicalEnv(emulator));
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  afterAll(() => emulator?.close());

  /** `next start` with `INFISICAL_LEAK_GUARD=mode` (unset when undefined); returns its URL. */
  const start = async (mode: string | undefined): Promise<string> => {
    const started = await nextStart(
      dir,
      { ...infisicalEnv(emulator), INFISICAL_LEAK_GUARD: mode },
      '/greeting',
    );
    server = started.server;
    return started.url;
  };
  const page = async (url: string, rsc = false) => {
    try {
      const response = await fetch(url, rsc ? { headers: { RSC: '1' } } : {});
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.text(),
      };
    } catch (error) {
      return { status: 0, type: null, body: `fetch failed: ${(error as Error).message}` };
    }
  };
  const warnings = (): string[] =>
    (server?.output() ?? '').split('\n').filter((line) => line.includes('⚠ Infisical:'));

  it('builds (the pages are dynamic: nothing of them is prerendered)', () => {
    expect(build.code, build.output).toBe(0);
  });

  it('off (no INFISICAL_LEAK_GUARD): the pages are served, nothing is reported', async () => {
    const url = await start(undefined);
    expect((await page(`${url}/rendered`)).body).toContain(SESSION_SECRET);
    expect((await page(`${url}/prop`, true)).body).toContain(API_TOKEN);
    expect(warnings()).toEqual([]);
  });

  it('report: names the key, the path and the body kind (HTML, RSC); the pages are still served', async () => {
    const url = await start('report');
    const rendered = await page(`${url}/rendered`);
    const rsc = await page(`${url}/prop`, true);
    const html = await page(`${url}/prop`);
    const greeting = await page(`${url}/greeting`);
    expect(rendered.body).toContain(SESSION_SECRET);
    expect(rsc.type).toContain('text/x-component');
    expect(rsc.body).toContain(API_TOKEN);
    expect(html.body).toContain(API_TOKEN);
    expect(greeting.body).toContain(GREETING);
    const lines = warnings();
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /SESSION_SECRET in the HTML response to \/rendered \(raw\); it was served/,
        ),
        expect.stringMatching(/API_TOKEN in the RSC response to \/prop \(/),
      ]),
    );
    expect(lines.filter((line) => line.includes('/greeting'))).toEqual([]);
    expect(server?.output()).not.toContain(SESSION_SECRET);
    expect(server?.output()).not.toContain(API_TOKEN);
  });

  it('block: neither the HTML nor the RSC body carries the value; the public page is untouched', async () => {
    const url = await start('block');
    const rendered = await page(`${url}/rendered`);
    const rsc = await page(`${url}/prop`, true);
    const html = await page(`${url}/prop`);
    expect(rendered.body).not.toContain(SESSION_SECRET);
    expect(rsc.body).not.toContain(API_TOKEN);
    expect(html.body).not.toContain(API_TOKEN);
    // Next sends the headers with the page's shell, before the value: the connection is cut.
    for (const answer of [rendered, rsc, html]) expect([0, 500]).toContain(answer.status);
    expect((await page(`${url}/greeting`)).body).toContain(GREETING);
    expect(server?.output()).not.toContain(SESSION_SECRET);
    expect(server?.output()).not.toContain(API_TOKEN);
    expect(warnings()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /SESSION_SECRET in the HTML response to \/rendered \(raw\); the response was stopped/,
        ),
        expect.stringMatching(/API_TOKEN in the RSC response to \/prop \(/),
      ]),
    );
  });
});
