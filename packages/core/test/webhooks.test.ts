import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Emulator, type SeedInput, startEmulator } from '@infisical/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createWebhookReceiver,
  type InfisicalError,
  type SecretsChange,
  type WebhookOutcome,
  type WebhookReceiver,
} from '../src/index.ts';
import { clientFor, coreSeed, LIST, PROJECT_ID } from './helpers.ts';

const SECRET = 'fake-webhook-secret-core';

/** A receiver on a real HTTP server; which receiver answers is set per test. */
let server: Server;
let current: WebhookReceiver | undefined;
const outcomes: WebhookOutcome[] = [];
let emulator: Emulator;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const outcome = current
        ? await current.receive({
            body: Buffer.concat(chunks),
            signature: req.headers['x-infisical-signature'] as string | undefined,
          })
        : ({ status: 401, body: { ok: false, error: 'bad-signature' } } as const);
      outcomes.push(outcome);
      res.writeHead(outcome.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(outcome.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const [project] = coreSeed.projects ?? [];
  const seed: SeedInput = {
    ...coreSeed,
    projects: [
      {
        ...project,
        webhooks: [
          { url: hook, secret: SECRET, environment: 'dev', secretPath: '/**' },
          { url: hook, secret: SECRET, environment: 'staging' },
        ],
      } as never,
    ],
  };
  emulator = await startEmulator({ port: 0, seed, webhooks: { delayMs: 50 } });
});
afterAll(async () => {
  await emulator.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  emulator.reset();
  outcomes.length = 0;
  current = undefined;
});

const rotate = (key: string, value: string, environment = 'dev') =>
  emulator.setSecret({ project: 'core-tests', environment, key, value });

describe('webhooks end to end', () => {
  it('a signed delivery refreshes the named folder: onChange fires and the next read serves the new value', async () => {
    const client = clientFor(emulator, { cacheTtl: 300 });
    const changes: SecretsChange[] = [];
    client.onChange((change) => changes.push(change));
    current = createWebhookReceiver(client, { secret: SECRET });
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    await client.listSecrets({ path: '/nested' });
    rotate('DB_HOST', 'rotated-by-webhook');
    await vi.waitFor(() => expect(changes).toHaveLength(1));
    expect(changes[0]).toMatchObject({ path: '/', changed: ['DATABASE_URL', 'DB_HOST'] });
    expect(outcomes).toEqual([
      { status: 200, body: { ok: true, event: 'secrets.modified', refreshed: 1 } },
    ]);
    expect((await client.getSecret('DB_HOST')).value).toBe('rotated-by-webhook');
    // Only the named folder was refetched, not /nested.
    expect(emulator.requestCount(LIST)).toBe(3);
    client.close();
  });

  it('a delivery naming a folder the client does not cache refreshes every cached folder of the project (imports)', async () => {
    const client = clientFor(emulator, { cacheTtl: 300 });
    const changes: SecretsChange[] = [];
    client.onChange((change) => changes.push(change));
    current = createWebhookReceiver(client, { secret: SECRET });
    expect((await client.getSecret('ONLY_STAGING')).value).toBe('staging-only');
    // Write in staging: the staging webhook names staging /, which this client does not cache,
    // and the dev webhook fires too (dev / imports staging /).
    rotate('ONLY_STAGING', 'staging-rotated', 'staging');
    await vi.waitFor(() => expect(changes).toHaveLength(1));
    expect(changes[0]).toMatchObject({ environment: 'dev', changed: ['ONLY_STAGING'] });
    await vi.waitFor(() => expect(outcomes).toHaveLength(2));
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    client.close();
  });

  it('refuses a wrong secret (401, reported without the payload) and a replayed delivery; duplicates are harmless', async () => {
    const client = clientFor(emulator, { cacheTtl: 300 });
    const changes: SecretsChange[] = [];
    client.onChange((change) => changes.push(change));
    const refused: InfisicalError[] = [];
    current = createWebhookReceiver(client, {
      secret: 'not-the-secret',
      onRejected: (e) => refused.push(e),
    });
    await client.getSecret('DB_HOST');
    rotate('DB_HOST', 'first');
    await vi.waitFor(() => expect(outcomes).toHaveLength(1));
    expect(outcomes[0]).toEqual({ status: 401, body: { ok: false, error: 'bad-signature' } });
    expect(refused[0]).toMatchObject({
      code: 'WEBHOOK_REJECTED',
      details: { reason: 'bad-signature' },
    });
    expect(refused[0]?.message).not.toContain(PROJECT_ID);
    expect(changes).toHaveLength(0);

    current = createWebhookReceiver(client, { secret: SECRET, onRejected: (e) => refused.push(e) });
    emulator.injectWebhookFault({ duplicate: true, times: 1 });
    rotate('DB_HOST', 'second');
    await vi.waitFor(() => expect(outcomes).toHaveLength(3));
    expect(outcomes.slice(1).map((o) => o.status)).toEqual([200, 401]);
    expect(refused.at(-1)).toMatchObject({ details: { reason: 'replayed' } });
    await vi.waitFor(() => expect(changes).toHaveLength(1));
    expect((await client.getSecret('DB_HOST')).value).toBe('second');
    client.close();
  });

  it('refuses a delivery outside the replay window', async () => {
    const client = clientFor(emulator);
    const refused: InfisicalError[] = [];
    current = createWebhookReceiver(client, {
      secret: SECRET,
      toleranceMs: 60_000,
      now: () => Date.now() + 61_000,
      onRejected: (e) => refused.push(e),
    });
    await client.getSecret('DB_HOST');
    rotate('DB_HOST', 'late');
    await vi.waitFor(() => expect(outcomes).toHaveLength(1));
    expect(outcomes[0]?.status).toBe(401);
    expect(refused[0]).toMatchObject({ details: { reason: 'expired' } });
    client.close();
  });

  it('checks its options', () => {
    const client = clientFor(emulator);
    expect(() => createWebhookReceiver(client, { secret: '' })).toThrow(/needs secret/);
    expect(() => createWebhookReceiver(client, { secret: 'x', tolerance: 5 } as never)).toThrow(
      /Unknown option "tolerance"/,
    );
    client.close();
  });
});
