import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Emulator } from '@infisical/emulator';
import {
  DEMO_CREDENTIALS,
  DEMO_PROJECT_ID,
  freePort,
  infisicalEnv,
  type RunningProcess,
  run,
  startProcess,
} from 'test-utils';

/** This app's folder. */
export const APP_DIR = resolve(import.meta.dirname, '..');
const VITE = join(APP_DIR, 'node_modules/vite/bin/vite.js');

/**
 * Starts the Vite dev server or `vite preview` of this app against the emulator, on a free
 * loopback port; resolves once it prints its URL (and stops it if it never does).
 */
export async function serveVite(
  emulator: Emulator,
  mode: 'dev' | 'preview',
  extraEnv: Record<string, string> = {},
): Promise<{ server: RunningProcess; url: string }> {
  const listen = ['--host', '127.0.0.1', '--port', String(await freePort()), '--strictPort'];
  const args = mode === 'preview' ? ['preview', ...listen] : listen;
  const server = startProcess('node', [VITE, ...args], {
    cwd: APP_DIR,
    env: infisicalEnv(emulator, extraEnv),
  });
  try {
    const [, url] = await server.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/);
    return { server, url: url as string };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Builds the app (or the project in `root`) with the Vite CLI; resolves with the exit code and output. */
export function viteBuild(emulator: Emulator, root = '.') {
  return run('node', [VITE, 'build', root], { cwd: APP_DIR, env: infisicalEnv(emulator) });
}

/** Every file under `dir`, with its text. */
export function filesUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { file: path, text: readFileSync(path, 'utf8') };
    });
}

/**
 * Every value the demo identity reads in the app's folder (imports included) whose key is not
 * public for Vite, fetched from the emulator's HTTP API independently of the plugin.
 */
export async function privateDemoValues(emulator: Emulator): Promise<Record<string, string>> {
  const login = await fetch(`${emulator.url}/api/v1/auth/universal-auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_CREDENTIALS),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const query = new URLSearchParams({
    workspaceId: DEMO_PROJECT_ID,
    environment: 'dev',
    secretPath: '/',
    include_imports: 'true',
    expandSecretReferences: 'true',
  });
  const list = await fetch(`${emulator.url}/api/v3/secrets/raw?${query}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  type Row = { secretKey: string; secretValue: string };
  const body = (await list.json()) as { secrets: Row[]; imports: { secrets: Row[] }[] };
  const rows = [...body.secrets, ...body.imports.flatMap((folder) => folder.secrets)];
  return Object.fromEntries(
    rows
      .filter((row) => !row.secretKey.startsWith('VITE_'))
      .map((row) => [row.secretKey, row.secretValue]),
  );
}
