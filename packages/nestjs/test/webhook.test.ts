import type { AddressInfo } from 'node:net';
import type { Emulator } from '@infisical/emulator';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { freePort, startWebhookEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InfisicalModule, InfisicalService } from '../src/index.ts';
import { demoOptions, LIST_ROUTE, rotate } from './helpers.ts';

const SECRET = 'fake-webhook-secret-nest';
let emulator: Emulator;
let port: number;

@Controller()
class TokenController {
  constructor(readonly infisical: InfisicalService) {}
  @Get('token')
  token(): { token: string | undefined } {
    return { token: this.infisical.get('API_TOKEN') };
  }
}

beforeAll(async () => {
  port = await freePort();
  emulator = await startWebhookEmulator(`http://127.0.0.1:${port}/hooks/infisical`, SECRET);
});
afterAll(() => emulator.close());

describe('InfisicalModule webhook option', () => {
  it('mounts a receiver: a delivery from Infisical refreshes InfisicalService, a forged one gets a 401', async () => {
    @Module({
      imports: [
        InfisicalModule.forRoot({
          ...demoOptions(emulator, { cacheTtl: 300 }),
          webhook: { path: 'hooks/infisical', secret: SECRET },
        }),
      ],
      controllers: [TokenController],
    })
    class AppModule {}
    const app = await NestFactory.create(AppModule, { logger: false, rawBody: true });
    await app.listen(port, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      const token = async () => (await (await fetch(`${base}/token`)).json()).token;
      expect(await token()).toBe('demo-api-token-0003');
      rotate(emulator, 'API_TOKEN', 'demo-api-token-0006');
      await vi.waitFor(() => expect(emulator.webhookDeliveries()).toMatchObject([{ status: 200 }]));
      expect(await token()).toBe('demo-api-token-0006');
      expect(emulator.requestCount(LIST_ROUTE)).toBe(2);
      const forged = await fetch(`${base}/hooks/infisical`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-infisical-signature': 't=1;00' },
        body: '{}',
      });
      expect(forged.status).toBe(401);
      expect(await forged.json()).toEqual({ ok: false, error: 'malformed-signature' });
    } finally {
      await app.close();
    }
  });

  it('refuses a webhook option without a secret when the module is defined', () => {
    expect(() =>
      InfisicalModule.forRoot({ ...demoOptions(emulator), webhook: { secret: '' } }),
    ).toThrow(/needs secret/);
  });
});
