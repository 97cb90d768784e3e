import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '@infisical/emulator';
import type { Browser } from 'playwright-core';
import {
  DEMO_CREDENTIALS,
  DEMO_PROJECT_ID,
  freePort,
  infisicalEnv,
  type RunningProcess,
  run,
  startProcess,
  waitForHttp,
} from 'test-utils';

/** The app's folder. */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The seed's values as the page shows them (masked). */
export const SESSION_SECRET_MASKED = '…1c (26 characters)';
export const GREETING = 'Hello from Infisical, through Next.js (dev)';

const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

/**
 * Where the tests build and develop: never `.next`, which belongs to `pnpm demo` (it may be
 * serving from it while the tests run).
 */
export const DIST_DIR = '.next-test';

/** The environment of a Next command pointed at the emulator. */
export function appEnv(emulator: Emulator, extra: Record<string, string> = {}) {
  return infisicalEnv(emulator, {
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_DIST_DIR: DIST_DIR,
    ...extra,
  });
}

/** Runs `next build`; returns its output, or fails with it. */
export async function nextBuild(env: Record<string, string | undefined>): Promise<string> {
  const { code, output } = await run(process.execPath, [nextBin, 'build'], { cwd: APP_DIR, env });
  if (code !== 0) throw new Error(`next build failed (${code}):\n${output}`);
  return output;
}

/** Starts `next <command>` (start, dev) on a free loopback port; resolves once it answers HTTP. */
export async function startNext(
  command: 'start' | 'dev',
  env: Record<string, string>,
): Promise<{ server: RunningProcess; baseUrl: string }> {
  const port = await freePort();
  const server = startProcess(
    process.execPath,
    [nextBin, command, '-H', '127.0.0.1', '-p', String(port)],
    { cwd: APP_DIR, env },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(baseUrl);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { server, baseUrl };
}

/** What the page renders once hydrated: the masked server secret and the public greeting. */
export async function renderedValues(
  browser: Browser,
  baseUrl: string,
): Promise<{ serverSecret: string | null; greeting: string | null }> {
  const page = await browser.newPage();
  try {
    await page.goto(baseUrl);
    await page.locator('#greeting[data-hydrated="true"]').waitFor();
    return {
      serverSecret: await page.textContent('#server-secret'),
      greeting: await page.textContent('#greeting'),
    };
  } finally {
    await page.close();
  }
}

/** The masked secret as `/api/secret` (or `/api/edge-secret`) returns it. */
export async function apiSecret(baseUrl: string, path = '/api/secret') {
  const response = await fetch(`${baseUrl}${path}`);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as { key: string; masked: string; runtime: string };
}

/** Every secret of the demo project's dev environment, as the Infisical API returns them. */
export async function seedValues(emulator: Emulator): Promise<Record<string, string>> {
  const login = await fetch(`${emulator.url}/api/v1/auth/universal-auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_CREDENTIALS),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const query = `workspaceId=${DEMO_PROJECT_ID}&environment=dev&expandSecretReferences=true&include_imports=true`;
  const list = await fetch(`${emulator.url}/api/v3/secrets/raw?${query}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const body = (await list.json()) as {
    secrets: { secretKey: string; secretValue: string }[];
    imports?: { secrets: { secretKey: string; secretValue: string }[] }[];
  };
  const all = [...(body.imports ?? []).flatMap((folder) => folder.secrets), ...body.secrets];
  return Object.fromEntries(all.map((secret) => [secret.secretKey, secret.secretValue]));
}

/** The keys whose value occurs in a file under `dir` (names only). */
export async function keysFoundIn(dir: string, values: Record<string, string>): Promise<string[]> {
  const texts: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) texts.push(await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  return Object.keys(values).filter((key) =>
    texts.some((text) => text.includes(values[key] as string)),
  );
}

/** Polls `check` until it returns true (a rotation shows after the cache TTL). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
