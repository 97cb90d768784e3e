import express from 'express';
import { freePort, startWebhookEmulator } from 'test-utils';
import { describe, expect, it, vi } from 'vitest';
import { infisical } from '../src/index.ts';
import { demoOptions, LIST } from './helpers.ts';

const SECRET = 'fake-webhook-secret-express';

describe('secrets.webhook()', () => {
  it.each([
    ['without a body parser', (_app: express.Express) => undefined],
    ['after express.json()', (app: express.Express) => app.use(express.json())],
    ['after express.raw()', (app: express.Express) => app.use(express.raw({ type: '*/*' }))],
  ])(
    'a signed delivery %s reaches the app and the next request serves the new value',
    async (_name, parser) => {
      const port = await freePort();
      const emulator = await startWebhookEmulator(
        `http://127.0.0.1:${port}/hooks/infisical`,
        SECRET,
      );
      const secrets = infisical(demoOptions(emulator, { cacheTtl: 300 }));
      const app = express();
      parser(app);
      app.post('/hooks/infisical', secrets.webhook({ secret: SECRET }));
      app.use(secrets);
      app.get('/token', (req, res) => {
        res.json({ token: req.secrets.API_TOKEN });
      });
      const server = app.listen(port, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const get = async () =>
          (await (await fetch(`http://127.0.0.1:${port}/token`)).json()).token;
        expect(await get()).toBe('demo-api-token-0003');
        emulator.setSecret({
          project: 'demo-app',
          environment: 'dev',
          key: 'API_TOKEN',
          value: 'demo-api-token-0004',
        });
        await vi.waitFor(() => expect(emulator.webhookDeliveries()).toHaveLength(1));
        expect(emulator.webhookDeliveries()[0]?.status).toBe(200);
        expect(await get()).toBe('demo-api-token-0004');
        expect(emulator.requestCount(LIST)).toBe(2);
        // A forged delivery is refused with a 401 and changes nothing.
        const forged = await fetch(`http://127.0.0.1:${port}/hooks/infisical`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-infisical-signature': `t=${Date.now()};${'0'.repeat(64)}`,
          },
          body: JSON.stringify({
            event: 'secrets.modified',
            project: { workspaceId: 'x', environment: 'dev', secretPath: '/' },
            timestamp: Date.now(),
          }),
        });
        expect(forged.status).toBe(401);
        expect(await forged.json()).toEqual({ ok: false, error: 'bad-signature' });
        expect(emulator.requestCount(LIST)).toBe(2);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        await secrets.close();
        await emulator.close();
      }
    },
  );
});
