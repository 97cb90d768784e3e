import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Emulator, globMatches, type SeedInput, startEmulator } from '../src/index.ts';

const SECRET = 'fake-webhook-secret-for-tests';
const PROJECT = '0b7c4d2e-1f3a-4b5c-8d6e-00000000a0b1';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let receiver: Server;
let received: Received[] = [];
let emulator: Emulator;

function seed(base: string): SeedInput {
  return {
    projects: [
      {
        slug: 'hooks',
        id: PROJECT,
        webhooks: [
          { url: `${base}/hook-dev`, secret: SECRET, environment: 'dev', secretPath: '/' },
          { url: `${base}/hook-staging`, environment: 'staging' },
          {
            url: `${base}/hook-dev-glob`,
            secret: SECRET,
            environment: 'dev',
            secretPath: '/backend/**',
          },
        ],
        environments: [
          {
            slug: 'dev',
            secrets: { '/': { A: 'a' }, '/backend': { B: 'b' }, '/backend/deep': { C: 'c' } },
            imports: { '/': [{ environment: 'staging', path: '/' }] },
          },
          { slug: 'staging', secrets: { '/': { S: 's' } } },
        ],
      },
    ],
    identities: [],
  };
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  emulator = await startEmulator({ port: 0, seed: seed(base), webhooks: { delayMs: 60 } });
});
afterAll(async () => {
  await emulator.close();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(() => {
  emulator.reset();
  received = [];
});

const set = (environment: string, key: string, value: string, path = '/') =>
  emulator.setSecret({ project: 'hooks', environment, path, key, value });
const paths = () => received.map((r) => r.path).sort();

describe('webhooks', () => {
  it('delivers a signed secrets.modified with the headers and body of the 2024-10 server', async () => {
    set('dev', 'A', 'rotated');
    await vi.waitFor(() => expect(received).toHaveLength(1));
    const [delivery] = received as [Received];
    expect(delivery.path).toBe('/hook-dev');
    expect(delivery.headers).toMatchObject({
      accept: 'application/json, text/plain, */*',
      'content-type': 'application/json',
      'user-agent': 'axios/1.7.4',
    });
    const body = JSON.parse(delivery.body);
    expect(Object.keys(body)).toEqual(['event', 'project', 'timestamp']);
    expect(body).toMatchObject({
      event: 'secrets.modified',
      project: { workspaceId: PROJECT, environment: 'dev', secretPath: '/' },
    });
    const mac = createHmac('sha256', SECRET).update(delivery.body).digest('hex');
    expect(delivery.headers['x-infisical-signature']).toBe(`t=${body.timestamp};${mac}`);
    expect(emulator.webhookDeliveries()).toMatchObject([
      { url: expect.stringMatching(/\/hook-dev$/), status: 200, signed: true, environment: 'dev' },
    ]);
  });

  it('collapses quick writes to one folder, and fires the folders importing it (unsigned without a secret)', async () => {
    set('dev', 'A', 'one');
    set('dev', 'A', 'two');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(paths()).toEqual(['/hook-dev']);
    received = [];
    set('staging', 'S', 'changed');
    await vi.waitFor(() => expect(paths()).toEqual(['/hook-dev', '/hook-staging']));
    const staging = received.find((r) => r.path === '/hook-staging');
    expect(staging?.headers['x-infisical-signature']).toBeUndefined();
  });

  it('matches secretPath as a glob: /backend/** covers /backend and below', async () => {
    set('dev', 'B', 'x', '/backend');
    set('dev', 'C', 'y', '/backend/deep');
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received.map((r) => JSON.parse(r.body).project.secretPath).sort()).toEqual([
      '/backend',
      '/backend/deep',
    ]);
    expect(globMatches('/apps/*', '/apps/web')).toBe(true);
    expect(globMatches('/apps/*', '/apps/web/x')).toBe(false);
    expect(globMatches('/', '/backend')).toBe(false);
  });

  it('faults: a duplicate delivers the same bytes twice, a delay holds it back', async () => {
    emulator.injectWebhookFault({ duplicate: true, times: 1 });
    set('dev', 'A', 'dup');
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received[0]?.body).toBe(received[1]?.body);
    expect(received[0]?.headers['x-infisical-signature']).toBe(
      received[1]?.headers['x-infisical-signature'],
    );
    received = [];
    emulator.injectWebhookFault({ delayMs: 400, times: 1 });
    const start = Date.now();
    set('dev', 'A', 'late');
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 3000 });
    expect(Date.now() - start).toBeGreaterThanOrEqual(400);
  });
});
