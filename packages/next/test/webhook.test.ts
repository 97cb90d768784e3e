import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '@infisical/emulator';
import { DEMO_CREDENTIALS, DEMO_PROJECT_ID, startWebhookEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const SECRET = 'fake-webhook-secret-next';
const STATE = Symbol.for('@infisical/next.runtime');

let emulator: Emulator;
let server: Server;
let route: ((request: Request) => Promise<Response>) | undefined;

beforeAll(async () => {
  // The route handler behind a real HTTP server, as Next serves app/hooks/infisical/route.ts.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      const response = route ? await route(request) : new Response(null, { status: 404 });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  emulator = await startWebhookEmulator(`http://127.0.0.1:${port}/hooks/infisical`, SECRET);
});
afterAll(async () => {
  const realm = globalThis as Record<symbol, { close(): Promise<void> } | undefined>;
  await realm[STATE]?.close();
  delete realm[STATE];
  await emulator.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('infisicalWebhook() route handler', () => {
  it('a delivery from Infisical refreshes the secrets: the next getSecret serves the new value', async () => {
    const { register, getSecret, infisicalWebhook } = await import('../src/runtime.ts');
    route = infisicalWebhook({ secret: SECRET });
    await register({
      siteUrl: emulator.url,
      auth: { universalAuth: DEMO_CREDENTIALS },
      projectId: DEMO_PROJECT_ID,
      environment: 'dev',
      cacheTtl: 300,
      injectEnv: false,
    });
    expect(await getSecret('API_TOKEN')).toBe('demo-api-token-0003');
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'API_TOKEN',
      value: 'demo-api-token-0005',
    });
    await vi.waitFor(() => expect(emulator.webhookDeliveries()).toMatchObject([{ status: 200 }]));
    expect(await getSecret('API_TOKEN')).toBe('demo-api-token-0005');
    const forged = await route(
      new Request('http://127.0.0.1/hooks/infisical', { method: 'POST', body: '{}' }),
    );
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ ok: false, error: 'missing-signature' });
  });

  it('checks its options when the route module loads', async () => {
    const { infisicalWebhook } = await import('../src/runtime.ts');
    expect(() => infisicalWebhook({ secret: '' })).toThrow(/needs secret/);
  });
});
