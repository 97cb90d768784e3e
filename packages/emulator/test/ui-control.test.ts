import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator, SeedInput } from '../src/index.ts';
import { client, PROJECT_ID, startTestEmulator, testSeed } from './helpers.ts';

let emulator: Emulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  emulator = await startTestEmulator();
  api = client(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

/** Every secret value and client secret of the test seed. */
function seedValues(): string[] {
  const values: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') values.push(node);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.value === 'string') values.push(record.value);
      else for (const child of Object.values(record)) walk(child);
    }
  };
  for (const project of testSeed.projects ?? []) {
    for (const env of (project.environments ?? []) as unknown[]) {
      if (typeof env === 'string') continue;
      const { secrets, personalSecrets } = env as { secrets?: unknown; personalSecrets?: unknown };
      walk(secrets);
      walk(personalSecrets);
    }
  }
  for (const identity of testSeed.identities ?? []) {
    const ua = identity.universalAuth;
    if (ua?.clientSecret) values.push(ua.clientSecret);
    for (const secret of ua?.clientSecrets ?? []) values.push(secret.clientSecret);
  }
  return values.filter((value) => value.length >= 5);
}

/** Reads `update` events of the control event stream. */
async function openStream(): Promise<{ next: () => Promise<any>; close: () => void }> {
  const controller = new AbortController();
  const res = await fetch(`${emulator.url}/_emulator/events`, {
    headers: { authorization: `Bearer ${emulator.controlToken}` },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const next = async (): Promise<any> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (/^event: update$/m.test(block) && data) return JSON.parse(data);
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += decoder.decode(value, { stream: true });
    }
  };
  return { next, close: () => controller.abort() };
}

describe('GET /_emulator/state', () => {
  it('lists projects, environments, folders, secrets and identities without any value', async () => {
    const res = await api.call('GET', '/_emulator/state');
    expect(res.status).toBe(200);
    const project = res.body.projects.find((p: any) => p.id === PROJECT_ID);
    expect(project.environments.map((e: any) => e.slug)).toEqual(['dev', 'staging', 'prod']);
    const dev = project.environments[0];
    expect(dev.folders.map((f: any) => f.path)).toEqual(['/', '/backend']);
    const root = dev.folders[0];
    expect(root.imports).toEqual([{ environment: 'staging', path: '/' }]);
    expect(root.secrets.find((s: any) => s.key === 'API_KEY')).toMatchObject({
      type: 'shared',
      user: null,
      version: 3,
    });
    expect(root.secrets.find((s: any) => s.type === 'personal')).toMatchObject({
      key: 'DB_HOST',
      user: 'alice',
    });
    expect(res.body.identities.find((i: any) => i.name === 'admin')).toEqual({
      id: expect.any(String),
      name: 'admin',
      user: false,
      clientId: 'admin-id',
      authMethods: ['universal-auth'],
      roles: [{ project: 'sdk-test-project', role: 'admin' }],
    });
    const text = JSON.stringify(res.body);
    for (const value of seedValues()) expect(text).not.toContain(value);
  });
});

describe('values on demand', () => {
  it('POST /_emulator/secrets/value answers one stored value (references unexpanded)', async () => {
    const ref = { project: 'sdk-test-project', environment: 'dev', key: 'DB_URL' };
    const res = await api.call('POST', '/_emulator/secrets/value', { body: ref });
    expect(res.body).toEqual({
      key: 'DB_URL',
      value: 'postgres://${DB_HOST}:${DB_PORT}/app',
      version: 1,
    });
    const personal = await api.call('POST', '/_emulator/secrets/value', {
      body: { ...ref, key: 'DB_HOST', type: 'personal', user: 'alice' },
    });
    expect(personal.body.value).toBe('alice-laptop');
    const missing = await api.call('POST', '/_emulator/secrets/value', {
      body: { ...ref, key: 'NOPE' },
    });
    expect(missing.status).toBe(404);
    const badProject = await api.call('POST', '/_emulator/secrets/value', {
      body: { ...ref, project: 'nope' },
    });
    expect(badProject.status).toBe(400);
    const typo = await api.call('POST', '/_emulator/secrets/value', {
      body: { ...ref, enviroment: 'dev' },
    });
    expect(typo.status).toBe(422);
  });

  it('GET /_emulator/connection answers the INFISICAL_* lines with the client secret masked', async () => {
    const res = await api.call('GET', '/_emulator/connection');
    expect(res.body).toEqual({
      identity: 'admin',
      project: 'sdk-test-project',
      environment: 'dev',
      lines: [
        { name: 'INFISICAL_SITE_URL', value: emulator.url, secret: false },
        { name: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_ID', value: 'admin-id', secret: false },
        { name: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET', value: null, secret: true, known: true },
        { name: 'INFISICAL_PROJECT_ID', value: PROJECT_ID, secret: false },
        { name: 'INFISICAL_ENVIRONMENT', value: 'dev', secret: false },
      ],
    });
    const chosen = await api.call('GET', '/_emulator/connection', {
      query: { identity: 'viewer', environment: 'prod' },
    });
    expect(chosen.body).toMatchObject({ identity: 'viewer', environment: 'prod' });
    expect(JSON.stringify(chosen.body)).not.toContain('viewer-secret');
    const unknown = await api.call('GET', '/_emulator/connection', { query: { identity: 'x' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('no identity "x"');
    const typo = await api.call('GET', '/_emulator/connection', { query: { identiy: 'admin' } });
    expect(typo.status).toBe(422);
  });

  it('POST /_emulator/identities/:name/client-secret answers it, 404 for others', async () => {
    const res = await api.call('POST', '/_emulator/identities/admin/client-secret');
    expect(res.body).toEqual({ clientSecret: 'admin-secret' });
    expect((await api.call('POST', '/_emulator/identities/nobody/client-secret')).status).toBe(404);
  });

  it("shows no client secret the emulator keeps only as a hash: once the seed's is revoked, it is unknown", async () => {
    // The seed's client secret is the only one known in clear; revoke it over the API.
    const token = await api.login('viewer-id', 'viewer-secret');
    const identityId = emulator.identityId('viewer');
    const path = `/api/v1/auth/universal-auth/identities/${identityId}/client-secrets`;
    const created = await api.call('POST', path, { token: await api.login(), body: {} });
    expect(created.status).toBe(200);
    const listed = await api.call('GET', path, { token });
    const seeded = listed.body.clientSecretData.find(
      (secret: any) => secret.id !== created.body.clientSecretData.id,
    );
    expect(
      (await api.call('POST', `${path}/${seeded.id}/revoke`, { token: await api.login() })).status,
    ).toBe(200);

    expect(emulator.knownClientSecret('viewer')).toBeUndefined();
    const connection = await api.call('GET', '/_emulator/connection', {
      query: { identity: 'viewer' },
    });
    expect(connection.body.lines[2]).toEqual({
      name: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET',
      value: null,
      secret: true,
      known: false,
    });
    const reveal = await api.call('POST', '/_emulator/identities/viewer/client-secret');
    expect(reveal.status).toBe(404);
    expect(reveal.body.message).toContain('keeps client secrets as hashes only');
    // The one created over the API logs in, but was shown once and is nowhere to be read again.
    expect(JSON.stringify(connection.body)).not.toContain(created.body.clientSecret);
    expect(
      (
        await api.call('POST', '/api/v1/auth/universal-auth/login', {
          body: { clientId: 'viewer-id', clientSecret: created.body.clientSecret },
        })
      ).status,
    ).toBe(200);
  });

  it('prefers an identity whose client secret it knows, and a used-up one is no longer known', async () => {
    const seed: SeedInput = {
      projects: [{ slug: 'p', environments: ['dev'] }],
      identities: [
        { name: 'hashed-only', universalAuth: { clientId: 'h-id' }, projects: { p: 'admin' } },
        {
          name: 'once',
          universalAuth: {
            clientId: 'once-id',
            clientSecrets: [{ clientSecret: 'once-secret', numUsesLimit: 1 }],
          },
          projects: { p: 'member' },
        },
      ],
    };
    const other = await startTestEmulator(seed);
    try {
      const otherApi = client(other);
      const first = await otherApi.call('GET', '/_emulator/connection');
      expect(first.body.identity).toBe('once');
      expect(other.knownClientSecret('once')).toBe('once-secret');
      expect(other.knownClientSecret('hashed-only')).toBeUndefined();
      await otherApi.login('once-id', 'once-secret');
      expect(other.knownClientSecret('once')).toBeUndefined();
      const after = await otherApi.call('GET', '/_emulator/connection');
      expect(after.body.lines[2].known).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('every one of them needs the control token', async () => {
    for (const [method, path] of [
      ['GET', '/_emulator/state'],
      ['POST', '/_emulator/secrets/value'],
      ['GET', '/_emulator/connection'],
      ['POST', '/_emulator/identities/admin/client-secret'],
    ] as const) {
      expect((await api.call(method, path, { token: '' })).status, path).toBe(401);
    }
  });
});

describe('GET /_emulator/events', () => {
  it('streams counters, the newest requests, faults and a state version', async () => {
    const stream = await openStream();
    try {
      const first = await stream.next();
      expect(first).toEqual({
        total: 0,
        counts: {},
        recent: [],
        faults: [],
        stateVersion: expect.any(Number),
      });

      await api.call('GET', '/api/status');
      const afterRequest = await stream.next();
      expect(afterRequest.total).toBe(1);
      expect(afterRequest.counts).toEqual({ 'GET /api/status': 1 });
      expect(afterRequest.recent[0]).toMatchObject({
        method: 'GET',
        path: '/api/status',
        status: 200,
      });

      const fault = emulator.injectFault({ route: '*', status: 503 });
      expect((await stream.next()).faults).toEqual([{ ...fault, hits: 0 }]);

      emulator.setSecret({
        project: 'sdk-test-project',
        environment: 'dev',
        key: 'LIVE',
        value: 'x',
      });
      expect((await stream.next()).stateVersion).toBe(first.stateVersion + 1);
    } finally {
      stream.close();
    }
  });

  it('coalesces a burst of requests into few updates', async () => {
    const stream = await openStream();
    try {
      await stream.next();
      await Promise.all(Array.from({ length: 50 }, () => api.call('GET', '/api/status')));
      let update = await stream.next();
      let updates = 1;
      while (update.total < 50) {
        update = await stream.next();
        updates++;
      }
      expect(update.total).toBe(50);
      expect(updates).toBeLessThan(50);
    } finally {
      stream.close();
    }
  });
});

describe('the web UI pages', () => {
  it('redirects / to /_emulator/ui and serves the page, script and styles without the token', async () => {
    const root = await fetch(`${emulator.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/_emulator/ui');
    for (const [path, type] of [
      ['/_emulator/ui', 'text/html'],
      ['/_emulator/ui/app.js', 'text/javascript'],
      ['/_emulator/ui/app.css', 'text/css'],
    ] as const) {
      const res = await fetch(`${emulator.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    expect(emulator.requestCount()).toBe(0);
  });

  it('answers 404 for other files under the UI and 405 for writes', async () => {
    expect((await fetch(`${emulator.url}/_emulator/ui/secrets.json`)).status).toBe(404);
    // `..` leaves the UI: the path is the control API's, which wants the token.
    expect((await fetch(`${emulator.url}/_emulator/ui/%2e%2e/package.json`)).status).toBe(401);
    expect((await fetch(`${emulator.url}/_emulator/ui`, { method: 'POST' })).status).toBe(405);
  });
});
