import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.ts';
import { PROJECT_ID, testSeed } from './helpers.ts';

const SUBSCRIBE = '/api/v1/events/subscribe/project-events';
let emulator: Emulator | undefined;
const aborts: AbortController[] = [];

afterEach(async () => {
  for (const abort of aborts.splice(0)) abort.abort();
  await emulator?.close();
  emulator = undefined;
});

async function login(em: Emulator): Promise<string> {
  const response = await fetch(`${em.url}/api/v1/auth/universal-auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: 'admin-id', clientSecret: 'admin-secret' }),
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

const REGISTER = [
  { event: 'secret:update', conditions: { environmentSlug: 'dev', secretPath: '/' } },
  { event: 'secret:create', conditions: { environmentSlug: 'dev', secretPath: '/**' } },
];

/** Opens a stream; `frames()` is everything read so far. */
async function subscribe(em: Emulator, token: string, register: unknown = REGISTER) {
  const abort = new AbortController();
  aborts.push(abort);
  const response = await fetch(em.url + SUBSCRIBE, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ projectId: PROJECT_ID, register }),
    signal: abort.signal,
  });
  let text = '';
  let ended = false;
  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
          text += decoder.decode(chunk);
      } catch {
        // aborted or dropped
      }
      ended = true;
    })();
  }
  return { response, frames: () => text, ended: () => ended, abort: () => abort.abort() };
}

describe('event stream (latest)', () => {
  it('streams a rotation as the newest server frames it, keys but no values, and pings', async () => {
    emulator = await startEmulator({ port: 0, seed: testSeed, events: { heartbeatMs: 50 } });
    const token = await login(emulator);
    const stream = await subscribe(emulator, token);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream');
    emulator.setSecret({
      project: 'sdk-test-project',
      environment: 'dev',
      key: 'DB_HOST',
      value: 'rotated-host',
    });
    await vi.waitFor(() => expect(stream.frames()).toContain('event: secret:update'));
    const frame =
      stream
        .frames()
        .split('\n\n')
        .find((f) => f.includes('event: secret:update')) ?? '';
    expect(frame).toMatch(/^id: \d+\nevent: secret:update\ndata: /);
    const data = JSON.parse(frame.slice(frame.indexOf('data: ') + 6));
    expect(data).toEqual({
      type: 'secret-manager',
      data: {
        eventType: 'secret:update',
        payload: [{ environment: 'dev', secretPath: '/', secretKey: 'DB_HOST' }],
      },
    });
    expect(stream.frames()).not.toContain('rotated-host');
    await vi.waitFor(() => expect(stream.frames()).toContain('event: ping\n\n'));
    // Not registered: staging changes are not sent.
    emulator.setSecret({
      project: 'sdk-test-project',
      environment: 'staging',
      key: 'DB_HOST',
      value: 'x',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stream.frames()).not.toContain('"environment":"staging"');
    expect(emulator.eventStreams()).toEqual({ open: 1, opened: 1 });
  });

  it('refuses the sixth open stream of an identity and project with a 429', async () => {
    emulator = await startEmulator({ port: 0, seed: testSeed });
    const token = await login(emulator);
    for (let i = 0; i < 5; i++)
      expect((await subscribe(emulator, token)).response.status).toBe(200);
    const sixth = await subscribe(emulator, token);
    expect(sixth.response.status).toBe(429);
    expect(await sixth.response.json()).toMatchObject({
      statusCode: 429,
      message: `Too many active connections for project ${PROJECT_ID}. Please close some connections before opening a new one.`,
    });
  });

  it('validates the body, and closes the stream with an error event when the token stops working', async () => {
    emulator = await startEmulator({ port: 0, seed: testSeed, events: { reauthMs: 80 } });
    const token = await login(emulator);
    expect((await subscribe(emulator, token, [])).response.status).toBe(422);
    expect((await subscribe(emulator, token, [{ event: 'secret:bogus' }])).response.status).toBe(
      422,
    );
    const stream = await subscribe(emulator, token);
    emulator.store.tokens.clear();
    await vi.waitFor(() => expect(stream.ended()).toBe(true));
    expect(stream.frames()).toContain(
      'event: error\ndata: {"message":"Permission denied or refresh failed"}',
    );
  });

  it('faults: drop cuts every open stream', async () => {
    emulator = await startEmulator({ port: 0, seed: testSeed });
    const stream = await subscribe(emulator, await login(emulator));
    expect(emulator.eventStreamFault('drop')).toBe(1);
    await vi.waitFor(() => expect(stream.ended()).toBe(true));
    expect(emulator.eventStreams().open).toBe(0);
  });
});

describe('event stream (2024-10)', () => {
  it('answers 404 route not found, as the captured server', async () => {
    emulator = await startEmulator({ port: 0, seed: testSeed, serverVersion: '2024-10' });
    const stream = await subscribe(emulator, await login(emulator));
    expect(stream.response.status).toBe(404);
    expect(await stream.response.json()).toEqual({
      message: 'Route POST:/api/v1/events/subscribe/project-events not found',
      error: 'Not Found',
      statusCode: 404,
    });
  });
});
