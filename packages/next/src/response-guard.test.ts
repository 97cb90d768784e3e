import { createServer, type IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { Emulator } from '@infisical/emulator';
import { DEMO_CREDENTIALS, DEMO_PROJECT_ID, startDemoEmulator } from 'test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeSecrets, refreshSecrets, register } from './runtime.ts';

const SESSION_SECRET = 'demo-session-secret-3f9a1c';
const GREETING = 'Hello from Infisical, through Next.js (dev)';
const compression = (await import('next/dist/compiled/compression/index.js' as string))
  .default as () => (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A real HTTP server answering with `handler`; returns its URL and a closer. */
async function serve(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

/** The body as bytes, or the fetch error when the connection was cut. */
async function get(url: string, init?: RequestInit): Promise<{ status?: number; body: string }> {
  try {
    const response = await fetch(url, init);
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { body: `fetch failed: ${(error as Error).message}` };
  }
}

/** An HTML page that writes the secret split over a string, a Buffer and a Uint8Array chunk. */
const splitPage: Handler = (_req, res) => {
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.write('<html><body><p>demo-sess');
  res.write(Buffer.from('ion-secr'));
  res.end(new TextEncoder().encode('et-3f9a1c</p></body></html>'));
};

describe('register({ leakGuard }) on a real node:http server', () => {
  let emulator: Emulator;
  let options: Record<string, unknown>;
  const servers: Server[] = [];
  const savedEnv = { ...process.env };
  let warn: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    emulator = await startDemoEmulator();
    options = {
      siteUrl: emulator.url,
      auth: { universalAuth: DEMO_CREDENTIALS },
      projectId: DEMO_PROJECT_ID,
      environment: 'dev',
      injectEnv: false,
      refreshInterval: false,
    };
  });
  afterAll(() => emulator?.close());
  afterEach(async () => {
    warn?.mockRestore();
    await closeSecrets();
    await Promise.all(servers.splice(0).map((server) => new Promise((r) => server.close(r))));
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    emulator.reset();
  });

  const start = async (handler: Handler): Promise<string> => {
    const { url, server } = await serve(handler);
    servers.push(server);
    return url;
  };
  const warnings = (): string[] => warn.mock.calls.map((call: unknown[]) => String(call[0]));

  it('report: a value split across string, Buffer and Uint8Array chunks is named once per key and path, the body served', async () => {
    await register({ ...options, leakGuard: 'report' });
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const url = await start(splitPage);
    const first = await get(`${url}/account?token=abc`);
    await get(`${url}/account`);
    await get(`${url}/other`);
    expect(first).toEqual({
      status: 200,
      body: `<html><body><p>${SESSION_SECRET}</p></body></html>`,
    });
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^⚠ Infisical: private secret value SESSION_SECRET in the HTML response to \/account \(raw\); it was served/,
      ),
      expect.stringContaining('SESSION_SECRET in the HTML response to /other'),
    ]);
    expect(warnings().join('\n')).not.toContain(SESSION_SECRET);
  });

  it('block before the headers are sent: a generic 500, the value never written', async () => {
    await register({ ...options, leakGuard: 'block' });
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const url = await start((_req, res) => {
      res.setHeader('content-type', 'text/x-component');
      res.end(`0:{"secret":"${SESSION_SECRET}"}`);
    });
    const answer = await get(`${url}/rsc`);
    expect(answer).toEqual({ status: 500, body: 'Internal Server Error' });
    expect(warnings()).toEqual([
      expect.stringContaining(
        'private secret value SESSION_SECRET in the RSC response to /rsc (raw); the response was stopped',
      ),
    ]);
  });

  it('block after the headers are sent (a streamed page): the connection is cut before the value', async () => {
    await register({ ...options, leakGuard: 'block' });
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const url = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body><p>shell</p>'.padEnd(2000, ' '));
      setTimeout(() => res.end(`<p>${JSON.stringify(SESSION_SECRET).slice(1, -1)}</p>`), 20);
    });
    const answer = await get(`${url}/streamed`);
    expect(answer.body).not.toContain(SESSION_SECRET);
    expect(answer.status === undefined || answer.body.length < 2100).toBe(true);
    expect(warnings()).toEqual([expect.stringContaining('SESSION_SECRET in the HTML response')]);
  });

  it("block: the body is searched before Next's compression gzips it", async () => {
    await register({ ...options, leakGuard: 'block' });
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const compress = compression();
    const url = await start((req, res) => {
      compress(req, res, () => {});
      res.setHeader('content-type', 'text/html');
      // Over compression's 1 KB threshold: gzipped unless stopped first.
      res.end(`${'<html>'.padEnd(4000, '-')}<p>${SESSION_SECRET}</p></html>`);
    });
    const answer = await get(`${url}/gz`, { headers: { 'accept-encoding': 'gzip' } });
    expect(answer).toEqual({ status: 500, body: 'Internal Server Error' });
    expect(warnings()).toEqual([
      expect.stringContaining('SESSION_SECRET in the HTML response to /gz'),
    ]);
  });

  it('report with compression: the client still gets the gzip body, and it is reported', async () => {
    await register({ ...options, leakGuard: 'report' });
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const compress = compression();
    const url = await start((req, res) => {
      compress(req, res, () => {});
      splitPage(req, res);
    });
    const { status, body } = await new Promise<{ status?: number; body: string }>((resolve) => {
      // Raw bytes: fetch would decode; this checks the wire is gzip.
      import('node:http').then(({ get: httpGet }) =>
        httpGet(`${url}/z`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const text =
              res.headers['content-encoding'] === 'gzip'
                ? gunzipSync(raw).toString()
                : raw.toString();
            resolve({ status: res.statusCode, body: text });
          });
        }),
      );
    });
    expect(status).toBe(200);
    expect(body).toContain(SESSION_SECRET);
    expect(warnings()).toEqual([
      expect.stringContaining('SESSION_SECRET in the HTML response to /z'),
    ]);
  });

  it('finds the Infisical client secret, and a value written as HTML entities, naming label and form', async () => {
    await register({ ...options, leakGuard: 'report' });
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const url = await start((req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        req.url === '/cred'
          ? `<p>${DEMO_CREDENTIALS.clientSecret}</p>`
          : `<p>${SESSION_SECRET.replaceAll('-', '&#45;')}</p>`,
      );
    });
    await get(`${url}/cred`);
    await get(`${url}/entity`);
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^⚠ Infisical: Infisical credential \S+ in the HTML response to \/cred /,
      ),
      expect.stringContaining('SESSION_SECRET in the HTML response to /entity (html-entity)'),
    ]);
    expect(warnings().join('\n')).not.toContain(DEMO_CREDENTIALS.clientSecret);
  });

  it('a public value, and a private value in JSON or plain text, are not reported', async () => {
    await register({ ...options, leakGuard: 'block' });
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const url = await start((req, res) => {
      const json = req.url === '/api';
      res.setHeader('content-type', json ? 'application/json' : 'text/html');
      res.end(json ? JSON.stringify({ SESSION_SECRET }) : `<p>${GREETING}</p>`);
    });
    expect(await get(`${url}/page`)).toEqual({ status: 200, body: `<p>${GREETING}</p>` });
    expect((await get(`${url}/api`)).body).toContain(SESSION_SECRET);
    expect(warnings()).toEqual([]);
  });

  it('follows a rotation: the new value is looked for after refreshSecrets()', async () => {
    await register({ ...options, leakGuard: 'report' });
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const rotated = 'rotated-session-secret-77';
    const url = await start((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<p>${rotated}</p>`);
    });
    await get(`${url}/before`);
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'SESSION_SECRET',
      value: rotated,
    });
    await refreshSecrets();
    await get(`${url}/after`);
    expect(warnings()).toEqual([
      expect.stringContaining('SESSION_SECRET in the HTML response to /after'),
    ]);
  });

  it('off by default: the prototype is untouched; closeSecrets() restores it after a guard', async () => {
    const write = ServerResponse.prototype.write;
    const descriptor = Object.getOwnPropertyDescriptor(ServerResponse.prototype, 'end');
    await register(options);
    expect(ServerResponse.prototype.write).toBe(write);
    await closeSecrets();
    await register({ ...options, leakGuard: 'report' });
    await register({ ...options, leakGuard: 'report' });
    expect(ServerResponse.prototype.write).not.toBe(write);
    await closeSecrets();
    expect(ServerResponse.prototype.write).toBe(write);
    expect(Object.getOwnPropertyDescriptor(ServerResponse.prototype, 'end')).toEqual(descriptor);
  });

  it('INFISICAL_LEAK_GUARD=report turns it on; a wrong value or a misspelt name is CONFIG_INVALID', async () => {
    const write = ServerResponse.prototype.write;
    process.env.INFISICAL_LEAK_GUARD = 'report';
    await register(options);
    expect(ServerResponse.prototype.write).not.toBe(write);
    await closeSecrets();
    process.env.INFISICAL_LEAK_GUARD = 'warn';
    await expect(register(options)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('INFISICAL_LEAK_GUARD must be report, block or off'),
    });
    delete process.env.INFISICAL_LEAK_GUARD;
    await expect(register({ ...options, leakGuard: 'blok' as never })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining("leakGuard must be 'report', 'block' or false"),
    });
    await expect(register({ ...options, leakGaurd: 'block' } as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('did you mean "leakGuard"'),
    });
    expect(ServerResponse.prototype.write).toBe(write);
  });
});
