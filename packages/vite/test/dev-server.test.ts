import type { Emulator } from '@infisical/emulator';
import { startDemoEmulator } from 'test-utils';
import { createServer, type HotPayload, type ViteDevServer } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InfisicalViteOptions } from '../src/index.ts';
import { infisical } from '../src/index.ts';
import { getSecret, getSecretsHandle, onSecretsChange, refreshSecrets } from '../src/server.ts';
import {
  demoOptions,
  eventually,
  makeProject,
  projectConfig,
  removeProject,
  snapshotEnv,
} from './helpers.ts';

const GREETING = 'Hello from Infisical, through Vite (dev)';
const LIST = 'GET /api/v3/secrets/raw';
const rotate = (key: string, value: string) =>
  emulator.setSecret({ project: 'demo-app', environment: 'dev', key, value });

let emulator: Emulator;
let restoreEnv: () => void;
let root: string;
let server: ViteDevServer | undefined;
let sent: HotPayload[];
beforeAll(async () => {
  emulator = await startDemoEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  restoreEnv = snapshotEnv();
  root = makeProject({
    'index.html': '<script type="module" src="/src/main.ts"></script>',
    'src/main.ts': 'document.body.textContent = import.meta.env.VITE_PUBLIC_GREETING;',
    'src/leaky.ts': "export { getSecret } from '@infisical/vite/server';",
    'src/render.ts':
      "import { getSecret } from '@infisical/vite/server';\nexport const render = () => `${import.meta.env.VITE_PUBLIC_GREETING} / ${getSecret('DB_PASSWORD')}`;",
  });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  restoreEnv();
  removeProject(root);
});

/** A dev server (not listening: modules are requested through its environments). */
async function start(extra: InfisicalViteOptions = {}): Promise<ViteDevServer> {
  server = await createServer(
    projectConfig(root, [infisical(demoOptions(emulator, { refreshInterval: 0.1, ...extra }))], {
      server: { middlewareMode: true, ws: false },
    }),
  );
  sent = [];
  const client = server.environments.client.hot;
  const send = client.send.bind(client);
  client.send = ((payload: HotPayload) => {
    sent.push(payload);
    send(payload);
  }) as typeof client.send;
  return server;
}
const clientCode = async (url: string) =>
  (await server!.environments.client.transformRequest(url))?.code ?? '';

describe('dev server', () => {
  it('serves the public values to client modules and reloads the browser when one rotates', async () => {
    await start();
    expect(await clientCode('/src/main.ts')).toContain(JSON.stringify(GREETING));

    rotate('VITE_PUBLIC_GREETING', 'Rotated greeting');
    await eventually(() => sent.some((payload) => payload.type === 'full-reload'));
    const code = await clientCode('/src/main.ts');
    expect(code).toContain('"Rotated greeting"');
    expect(code).not.toContain(GREETING);
  });

  it('lets SSR code read server-only values live, without reloading the browser', async () => {
    await start();
    const ssr = await server!.ssrLoadModule('/src/render.ts');
    expect(ssr.render()).toBe(`${GREETING} / demo-db-password`);

    rotate('DB_PASSWORD', 'rotated-db-password');
    await eventually(() => ssr.render().endsWith('/ rotated-db-password'));
    expect(process.env.DB_PASSWORD).toBe('rotated-db-password');
    expect(sent).toEqual([]);
  });

  it('gives server code the handle: source, refreshSecrets() and onSecretsChange()', async () => {
    await start({ refreshInterval: 0 });
    expect(getSecretsHandle()?.source).toBe('infisical');
    const heard: string[][] = [];
    const unsubscribe = onSecretsChange((change) => heard.push(change.changed));
    rotate('DB_PASSWORD', 'refreshed-db-password');
    await refreshSecrets();
    expect(getSecret('DB_PASSWORD')).toBe('refreshed-db-password');
    expect(heard).toEqual([['DATABASE_URL', 'DB_PASSWORD']]); // DATABASE_URL references it
    unsubscribe();
  });

  it('refuses @infisical/vite/server in client modules', async () => {
    await start();
    await expect(clientCode('/src/leaky.ts')).rejects.toThrow(
      /@infisical\/vite\/server holds server-only secrets and cannot be imported from client code \(imported by src\/leaky\.ts\)/,
    );
  });

  it('keeps serving the last good values when a refresh fails', async () => {
    const reported: string[] = [];
    await start({ onError: (error) => reported.push(error.code) });
    emulator.injectFault({ route: LIST, status: 503 });
    await eventually(() => reported.includes('SERVER_ERROR'));
    expect(await clientCode('/src/main.ts')).toContain(JSON.stringify(GREETING));
    expect(getSecret('DB_PASSWORD')).toBe('demo-db-password');
    expect(sent).toEqual([]);
  });

  it('stops refreshing when the server closes, and withdraws the live values', async () => {
    await start();
    await eventually(() => emulator.requestCount(LIST) >= 3);
    await server!.close();
    server = undefined;
    const after = emulator.requestCount(LIST);
    await new Promise((done) => setTimeout(done, 500));
    expect(emulator.requestCount(LIST)).toBe(after);
    process.env.DB_PASSWORD = 'from-the-environment';
    expect(getSecret('DB_PASSWORD')).toBe('from-the-environment');
  });
});
