import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.ts';
import { client, PROJECT_ID, startTestEmulator } from './helpers.ts';

let emulator: Emulator;
let api: ReturnType<typeof client>;
let token: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  api = client(emulator);
});
afterAll(() => emulator.close());
beforeEach(async () => {
  emulator.reset();
  token = await api.login();
});

const LIST = 'GET /api/v3/secrets/raw';
const list = () =>
  api.call('GET', '/api/v3/secrets/raw', {
    token,
    query: { workspaceId: PROJECT_ID, environment: 'dev' },
  });

describe('fault injection over the control API', () => {
  it('answers an injected status for the next N requests only', async () => {
    const injected = await api.call('POST', '/_emulator/faults', {
      body: { route: LIST, status: 500, times: 2 },
    });
    expect(injected.body.fault).toMatchObject({
      route: LIST,
      status: 500,
      times: 2,
      id: expect.any(String),
    });
    expect((await list()).status).toBe(500);
    const second = await list();
    expect(second.body).toMatchObject({
      statusCode: 500,
      message: 'Injected fault',
      reqId: expect.any(String),
    });
    expect((await list()).status).toBe(200);
    expect((await api.call('GET', '/_emulator/faults')).body.faults).toEqual([]);
  });

  it('answers 429 with Retry-After and the rate-limit body', async () => {
    await api.call('POST', '/_emulator/faults', {
      body: { route: '/api/v3/secrets/*', retryAfter: 7, times: 1 },
    });
    const res = await list();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toMatchObject({
      error: 'RateLimitExceeded',
      message: 'Rate limit exceeded. Please try again in 7 seconds',
    });
  });

  it('resets the connection', async () => {
    emulator.injectFault({ route: LIST, reset: true, times: 1 });
    await expect(list()).rejects.toThrow();
    expect((await list()).status).toBe(200);
  });

  it('adds latency and still answers', async () => {
    emulator.injectFault({ route: 'GET /api/v3/secrets/raw', latencyMs: 150, times: 1 });
    const started = performance.now();
    expect((await list()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('applies a rate of 0 never and 1 always, and clears by id', async () => {
    const never = emulator.injectFault({ route: '*', status: 503, rate: 0 });
    expect((await list()).status).toBe(200);
    emulator.clearFaults(never.id);
    const always = (
      await api.call('POST', '/_emulator/faults', { body: { route: '*', status: 503, rate: 1 } })
    ).body.fault;
    expect((await list()).status).toBe(503);
    await api.call('DELETE', `/_emulator/faults/${always.id}`);
    expect((await list()).status).toBe(200);
  });

  it('never faults the control API itself and validates fault specs', async () => {
    emulator.injectFault({ route: '*', status: 500 });
    expect((await api.call('GET', '/_emulator/health')).status).toBe(200);
    emulator.clearFaults();
    expect(
      (await api.call('POST', '/_emulator/faults', { body: { route: LIST, status: 1000 } })).status,
    ).toBe(422);
  });
});

describe('counters and log', () => {
  it('counts requests per route and logs them without secrets', async () => {
    await api.call('DELETE', '/_emulator/requests');
    await list();
    await list();
    await api.call('GET', '/api/v3/secrets/raw/DB_HOST', {
      token,
      query: { workspaceId: PROJECT_ID, environment: 'dev' },
    });
    const stats = (await api.call('GET', '/_emulator/requests')).body;
    expect(stats.total).toBe(3);
    expect(stats.counts).toEqual({ [LIST]: 2, 'GET /api/v3/secrets/raw/:secretName': 1 });
    expect(stats.log[0]).toMatchObject({
      method: 'GET',
      path: '/api/v3/secrets/raw',
      route: LIST,
      status: 200,
    });
    expect(JSON.stringify(stats)).not.toContain('localhost');
    expect(emulator.requestCount(LIST)).toBe(2);
  });
});

describe('rotation and reset', () => {
  it('changes a secret from outside as a new version, then resets to the seed', async () => {
    const rotated = await api.call('PUT', '/_emulator/secrets', {
      body: {
        project: 'sdk-test-project',
        environment: 'dev',
        key: 'DB_HOST',
        value: 'rotated-host',
      },
    });
    expect(rotated.body.secret).toEqual({ key: 'DB_HOST', version: 2, created: false });
    const res = await api.call('GET', '/api/v3/secrets/raw/DB_HOST', {
      token,
      query: { workspaceId: PROJECT_ID, environment: 'dev' },
    });
    expect(res.body.secret).toMatchObject({ secretValue: 'rotated-host', version: 2 });

    const removed = await api.call('DELETE', '/_emulator/secrets', {
      body: { project: 'sdk-test-project', environment: 'dev', key: 'DB_PORT' },
    });
    expect(removed.body.deleted).toBe(true);
    const unknown = await api.call('PUT', '/_emulator/secrets', {
      body: { project: 'nope', environment: 'dev', key: 'X', value: 'y' },
    });
    expect(unknown.status).toBe(400);

    await api.call('POST', '/_emulator/reset');
    expect((await api.call('GET', '/_emulator/requests')).body.total).toBe(0);
    expect((await list()).status).toBe(401); // tokens are reset too
    token = await api.login();
    const after = await list();
    expect(
      after.body.secrets.find((s: { secretKey: string }) => s.secretKey === 'DB_HOST').secretValue,
    ).toBe('localhost');
  });
});

describe('the clock', () => {
  it('moves forward for token and client-secret lifetimes, and back to real time on reset', async () => {
    const short = await api.login('short-id', 'short-secret');
    const moved = await api.call('POST', '/_emulator/clock', { body: { advanceMs: 5_000 } });
    expect(moved.body).toEqual({ offsetMs: 5_000 });
    const expired = await api.call('GET', '/api/v3/secrets/raw', {
      token: short,
      query: { workspaceId: PROJECT_ID, environment: 'dev' },
    });
    expect(expired.status).toBe(403);
    expect((await api.call('POST', '/_emulator/clock', { body: { advanceMs: -1 } })).status).toBe(
      422,
    );
    expect(emulator.advanceClock(1_000)).toBe(6_000);
    emulator.reset();
    expect(emulator.advanceClock(1)).toBe(1);
  });
});
