import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { InfisicalError } from '../errors/infisical-error.js';
import type { Logger } from './logger.js';
import { type ApiRequest, Transport, type TransportOptions } from './transport.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.fake-access-token.SIGNATURE';
const SECRET_VALUE = 'super-secret-db-password';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Handler = (request: Received, response: ServerResponse, index: number) => void;

interface TestServer {
  url: string;
  requests: Received[];
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A real HTTP server on 127.0.0.1; `handler` answers request number `index` (0-based). */
async function startServer(handler: Handler): Promise<TestServer> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      handler(received, res, requests.length - 1);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests };
}

function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function infisicalError(status: number, error: string, message: unknown, reqId = 'req-test') {
  return { reqId, statusCode: status, message, error };
}

/** Answers each request with the next handler of the list (the last one repeats). */
function sequence(...handlers: Array<(res: ServerResponse, req: Received) => void>): Handler {
  return (req, res, index) => {
    const handler = handlers[Math.min(index, handlers.length - 1)];
    handler?.(res, req);
  };
}

interface Harness {
  transport: Transport;
  sleeps: number[];
  logs: Array<{ message: string; fields: Record<string, unknown> | undefined }>;
}

function harness(siteUrl: string, options: Partial<TransportOptions> = {}): Harness {
  const sleeps: number[] = [];
  const logs: Harness['logs'] = [];
  const logger: Logger = { debug: (message, fields) => logs.push({ message, fields }) };
  const transport = new Transport({
    siteUrl,
    logger,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { transport, sleeps, logs };
}

async function failure(promise: Promise<unknown>): Promise<InfisicalError> {
  const error = await promise.then(
    () => expect.unreachable('expected the request to fail'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InfisicalError);
  return error as InfisicalError;
}

const GET_SECRETS: ApiRequest = {
  method: 'GET',
  path: '/api/v3/secrets/raw',
  query: { workspaceId: 'p1', environment: 'dev' },
  token: TOKEN,
};

describe('Transport: requests and answers', () => {
  it('sends a GET with bearer token, accept and user agent, and parses JSON', async () => {
    const server = await startServer((_req, res) =>
      json(res, 200, { secrets: [{ secretKey: 'A' }] }),
    );
    const { transport } = harness(server.url);
    const result = await transport.request<{ secrets: unknown[] }>(GET_SECRETS);
    expect(result).toEqual({ secrets: [{ secretKey: 'A' }] });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/api/v3/secrets/raw?workspaceId=p1&environment=dev');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toBe('@infisical/core');
    expect(request?.headers['content-type']).toBeUndefined();
    expect(request?.body).toBe('');
  });

  it('sends a JSON body with content-type, without a token', async () => {
    const server = await startServer((_req, res) => json(res, 200, { accessToken: 'x' }));
    const { transport } = harness(server.url);
    const body = { clientId: 'id', clientSecret: 'secret' };
    await transport.request({ method: 'POST', path: '/api/v1/auth/universal-auth/login', body });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.parse(request?.body ?? '')).toEqual(body);
  });

  it('encodes the query: drops undefined, booleans as true/false, escapes special characters', async () => {
    const server = await startServer((_req, res) => json(res, 200, {}));
    const { transport } = harness(server.url);
    await transport.request({
      method: 'GET',
      path: '/api/v3/secrets/raw',
      query: {
        secretPath: '/folder a/b&c=d',
        recursive: true,
        includeImports: false,
        version: 3,
        tagSlugs: undefined,
        'odd key': 'é+',
      },
    });
    expect(server.requests[0]?.url).toBe(
      '/api/v3/secrets/raw?secretPath=%2Ffolder%20a%2Fb%26c%3Dd&recursive=true&includeImports=false&version=3&odd%20key=%C3%A9%2B',
    );
  });

  it('joins a siteUrl with trailing slashes and a path prefix', async () => {
    const server = await startServer((_req, res) => json(res, 200, { ok: true }));
    await harness(`${server.url}///`).transport.request({ method: 'GET', path: '/api/status' });
    await harness(`${server.url}/infisical/`).transport.request({
      method: 'GET',
      path: '/api/status',
    });
    expect(server.requests.map((request) => request.url)).toEqual([
      '/api/status',
      '/infisical/api/status',
    ]);
  });

  it('returns undefined for 204 and empty bodies', async () => {
    const server = await startServer(
      sequence(
        (res) => {
          res.writeHead(204);
          res.end();
        },
        (res) => {
          res.writeHead(200);
          res.end();
        },
      ),
    );
    const { transport } = harness(server.url);
    expect(await transport.request({ method: 'DELETE', path: '/x' })).toBeUndefined();
    expect(await transport.request({ method: 'GET', path: '/x' })).toBeUndefined();
  });

  it('sends a DELETE with a JSON body', async () => {
    const server = await startServer((_req, res) => json(res, 200, { secret: {} }));
    await harness(server.url).transport.request({
      method: 'DELETE',
      path: '/api/v3/secrets/raw/A',
      body: { workspaceId: 'p1' },
    });
    expect(server.requests[0]?.method).toBe('DELETE');
    expect(server.requests[0]?.body).toBe('{"workspaceId":"p1"}');
  });

  it('rejects a 2xx body that is not JSON, without retrying', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Infisical</title>');
    });
    const { transport, sleeps } = harness(server.url);
    const error = await failure(transport.request(GET_SECRETS));
    expect(error.code).toBe('HTTP_ERROR');
    expect(error.status).toBe(200);
    expect(error.message).toBe(
      'Infisical answered 200 for GET /api/v3/secrets/raw with a body that is not JSON. Fix: check that siteUrl points at the Infisical API (for example https://app.infisical.com), not a web page or a proxy.',
    );
    expect(error.details).toEqual({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('uses the injected fetch', async () => {
    const server = await startServer((_req, res) => json(res, 200, { ok: true }));
    const calls: string[] = [];
    const { transport } = harness(server.url, {
      fetch: (input, init) => {
        calls.push(String(input));
        return fetch(input, init);
      },
    });
    await transport.request({ method: 'GET', path: '/api/status', query: { a: 1 } });
    expect(calls).toEqual([`${server.url}/api/status?a=1`]);
  });
});

describe('Transport: typed errors', () => {
  it('maps a 404 to NOT_FOUND with the requestId from reqId and the path without query', async () => {
    const server = await startServer((_req, res) =>
      json(
        res,
        404,
        infisicalError(404, 'NotFound', "Secret with name 'DB_URL' not found", 'req-404'),
      ),
    );
    const { transport, sleeps } = harness(server.url);
    const error = await failure(
      transport.request({ ...GET_SECRETS, path: '/api/v3/secrets/raw/DB_URL' }),
    );
    expect(error.code).toBe('NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.requestId).toBe('req-404');
    expect(error.method).toBe('GET');
    expect(error.path).toBe('/api/v3/secrets/raw/DB_URL');
    expect(error.message).toBe(
      "Infisical answered 404 NotFound for GET /api/v3/secrets/raw/DB_URL: Secret with name 'DB_URL' not found. Fix: check projectId, environment and path.",
    );
    expect(error.details).toEqual({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('maps a 2024-style 401 ValidationFailure to VALIDATION_FAILED, not retried', async () => {
    const server = await startServer((_req, res) =>
      json(
        res,
        401,
        infisicalError(401, 'ValidationFailure', [
          {
            code: 'invalid_type',
            expected: 'string',
            received: 'undefined',
            path: ['environment'],
            message: 'Required',
          },
        ]),
      ),
    );
    const { transport } = harness(server.url);
    const error = await failure(transport.request(GET_SECRETS));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(401);
    expect(error.message).toContain(
      '401 ValidationFailure for GET /api/v3/secrets/raw: environment: Required',
    );
    expect(error.details).toEqual({
      issues: [
        { code: 'invalid_type', expected: 'string', path: ['environment'], message: 'Required' },
      ],
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry 401, 403 or 422', async () => {
    const server = await startServer(
      sequence(
        (res) => json(res, 401, infisicalError(401, 'UnauthorizedError', 'Invalid credentials')),
        (res) => json(res, 403, infisicalError(403, 'TokenError', 'Your token has expired.')),
        (res) => json(res, 422, infisicalError(422, 'ValidationFailure', [])),
      ),
    );
    const { transport, sleeps } = harness(server.url);
    expect((await failure(transport.request(GET_SECRETS))).code).toBe('UNAUTHORIZED');
    expect((await failure(transport.request(GET_SECRETS))).code).toBe('UNAUTHORIZED');
    expect((await failure(transport.request(GET_SECRETS))).code).toBe('VALIDATION_FAILED');
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([]);
  });

  it('tolerates a text error body', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('upstream connect error');
    });
    const { transport } = harness(server.url, { retry: { maxRetries: 0 } });
    const error = await failure(transport.request(GET_SECRETS));
    expect(error.code).toBe('SERVER_ERROR');
    expect(error.message).toContain('502 for GET /api/v3/secrets/raw: upstream connect error.');
  });
});

describe('Transport: retries', () => {
  it('honours Retry-After on a 429', async () => {
    const server = await startServer(
      sequence(
        (res) =>
          json(
            res,
            429,
            infisicalError(
              429,
              'RateLimitExceeded',
              'Rate limit exceeded. Please try again in 9 seconds',
            ),
            {
              'retry-after': '2',
            },
          ),
        (res) => json(res, 200, { ok: true }),
      ),
    );
    const { transport, sleeps } = harness(server.url);
    expect(await transport.request(GET_SECRETS)).toEqual({ ok: true });
    expect(sleeps).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });

  it("parses the wait from Infisical's 429 message when there is no Retry-After", async () => {
    const server = await startServer(
      sequence(
        (res) =>
          json(
            res,
            429,
            infisicalError(
              429,
              'RateLimitExceeded',
              'Rate limit exceeded. Please try again in 7 seconds',
            ),
          ),
        (res) => json(res, 200, { ok: true }),
      ),
    );
    const { transport, sleeps } = harness(server.url);
    expect(await transport.request(GET_SECRETS)).toEqual({ ok: true });
    expect(sleeps).toEqual([7000]);
  });

  it('surfaces RATE_LIMITED at once when Retry-After exceeds maxRetryAfterMs', async () => {
    const server = await startServer((_req, res) =>
      json(
        res,
        429,
        infisicalError(
          429,
          'RateLimitExceeded',
          'Rate limit exceeded. Please try again in 60 seconds',
        ),
      ),
    );
    const { transport, sleeps } = harness(server.url, { retry: { maxRetryAfterMs: 30_000 } });
    const error = await failure(transport.request(GET_SECRETS));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details).toEqual({ attempts: 1 });
    expect(error.retryAfterMs).toBe(60_000);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("remembers the wait of Infisical's 429 message and sends nothing in that area until it passed", async () => {
    const server = await startServer((req, res) =>
      req.url.startsWith('/api/v3/')
        ? json(
            res,
            429,
            infisicalError(
              429,
              'RateLimitExceeded',
              'Rate limit exceeded. Please try again in 45 seconds',
            ),
          )
        : json(res, 200, { ok: true }),
    );
    let now = 1_000_000;
    const { transport } = harness(server.url, { now: () => now });
    const first = await failure(transport.request(GET_SECRETS));
    expect(first).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 45_000 });
    now += 10_000;
    const held = await failure(transport.request(GET_SECRETS));
    expect(held).toMatchObject({
      code: 'RATE_LIMITED',
      details: { cooldown: true },
      retryAfterMs: 20_000,
    });
    expect(held.message).toMatch(/^Not sent: Infisical failed recently/);
    expect(server.requests).toHaveLength(1);
    // Another area of the API is not held back.
    expect(
      await transport.request({ method: 'POST', path: '/api/v1/auth/token/renew', body: {} }),
    ).toEqual({ ok: true });
    now += 20_001;
    await failure(transport.request(GET_SECRETS));
    expect(server.requests.filter((r) => r.url.startsWith('/api/v3/'))).toHaveLength(2);
  });

  it('retries a POST on 429 (the server did not apply it)', async () => {
    const server = await startServer(
      sequence(
        (res) =>
          json(res, 429, infisicalError(429, 'RateLimitExceeded', 'Rate limit exceeded.'), {
            'retry-after': '1',
          }),
        (res) => json(res, 200, { secret: { secretKey: 'A' } }),
      ),
    );
    const { transport, sleeps } = harness(server.url);
    const result = await transport.request({
      method: 'POST',
      path: '/api/v3/secrets/raw/A',
      body: { secretValue: SECRET_VALUE },
      token: TOKEN,
    });
    expect(result).toEqual({ secret: { secretKey: 'A' } });
    expect(sleeps).toEqual([1000]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.body).toBe(server.requests[0]?.body);
  });

  it('retries a 503 for GET with backoff', async () => {
    const server = await startServer(
      sequence(
        (res) => json(res, 503, infisicalError(503, 'ServiceUnavailable', 'down')),
        (res) => json(res, 503, infisicalError(503, 'ServiceUnavailable', 'down')),
        (res) => json(res, 200, { ok: true }),
      ),
    );
    const { transport, sleeps } = harness(server.url, {
      retry: { baseDelayMs: 100, maxDelayMs: 150 },
    });
    expect(await transport.request(GET_SECRETS)).toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(150);
  });

  it('honours Retry-After on a 503 for GET', async () => {
    const server = await startServer(
      sequence(
        (res) =>
          json(res, 503, infisicalError(503, 'ServiceUnavailable', 'down'), { 'retry-after': '3' }),
        (res) => json(res, 200, { ok: true }),
      ),
    );
    const { transport, sleeps } = harness(server.url);
    await transport.request(GET_SECRETS);
    expect(sleeps).toEqual([3000]);
  });

  it('does not retry a 503 for POST', async () => {
    const server = await startServer((_req, res) =>
      json(res, 503, infisicalError(503, 'ServiceUnavailable', 'down')),
    );
    const { transport, sleeps } = harness(server.url);
    const error = await failure(
      transport.request({ method: 'POST', path: '/api/v3/secrets/raw/A', body: {}, token: TOKEN }),
    );
    expect(error.code).toBe('SERVER_ERROR');
    expect(error.details).toEqual({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries a 503 for a write marked idempotent', async () => {
    const server = await startServer(
      sequence(
        (res) => json(res, 503, infisicalError(503, 'ServiceUnavailable', 'down')),
        (res) => json(res, 200, { accessToken: 'renewed' }),
      ),
    );
    const { transport } = harness(server.url);
    const result = await transport.request({
      method: 'POST',
      path: '/x',
      body: {},
      idempotent: true,
    });
    expect(result).toEqual({ accessToken: 'renewed' });
    expect(server.requests).toHaveLength(2);
  });

  it('respects maxRetries and reports the attempts', async () => {
    const server = await startServer((_req, res) =>
      json(res, 500, infisicalError(500, 'InternalServerError', 'Something went wrong', 'req-500')),
    );
    const { transport, sleeps } = harness(server.url, { retry: { maxRetries: 2 } });
    const error = await failure(transport.request(GET_SECRETS));
    expect(error.code).toBe('SERVER_ERROR');
    expect(error.requestId).toBe('req-500');
    expect(error.details).toEqual({ attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('uses the default of 3 retries, and maxRetries 0 disables them', async () => {
    const server = await startServer((_req, res) => json(res, 500, {}));
    const defaults = harness(server.url);
    expect((await failure(defaults.transport.request(GET_SECRETS))).details).toEqual({
      attempts: 4,
    });
    expect(server.requests).toHaveLength(4);
    const none = harness(server.url, { retry: { maxRetries: 0 } });
    expect((await failure(none.transport.request(GET_SECRETS))).details).toEqual({ attempts: 1 });
    expect(server.requests).toHaveLength(5);
    expect(none.sleeps).toEqual([]);
  });
});

describe('Transport: network errors and timeouts', () => {
  it('retries a GET when the server destroys the socket', async () => {
    const server = await startServer(
      sequence(
        (res) => res.socket?.destroy(),
        (res) => json(res, 200, { ok: true }),
      ),
    );
    const { transport, sleeps, logs } = harness(server.url);
    expect(await transport.request(GET_SECRETS)).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(logs[0]?.fields).toEqual({
      method: 'GET',
      path: '/api/v3/secrets/raw',
      code: 'NETWORK_ERROR',
      attempt: 1,
      delayMs: sleeps[0],
    });
  });

  it('does not retry a POST on a network error, and keeps the cause', async () => {
    const server = await startServer((_req, res) => res.socket?.destroy());
    const { transport } = harness(server.url);
    const error = await failure(
      transport.request({ method: 'POST', path: '/api/v3/secrets/raw/A', body: {}, token: TOKEN }),
    );
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toMatch(/^Could not reach Infisical for POST \/api\/v3\/secrets\/raw\/A/);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.details).toEqual({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('reports a refused connection with its system code after the retries', async () => {
    const server = await startServer(() => undefined);
    const closed = servers.pop();
    closed?.closeAllConnections();
    await new Promise<void>((resolve) => closed?.close(() => resolve()));
    const { transport, sleeps } = harness(server.url);
    const error = await failure(transport.request(GET_SECRETS));
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toBe(
      'Could not reach Infisical for GET /api/v3/secrets/raw (ECONNREFUSED). Fix: check siteUrl, DNS, proxy and TLS settings, and that the server is up.',
    );
    expect(error.details).toEqual({ attempts: 4 });
    expect(sleeps).toHaveLength(3);
  });

  it('aborts an attempt after timeoutMs with TIMEOUT', async () => {
    const server = await startServer(() => undefined);
    const { transport } = harness(server.url, { timeoutMs: 50, retry: { maxRetries: 0 } });
    const error = await failure(transport.request(GET_SECRETS));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(
      'Infisical did not answer GET /api/v3/secrets/raw within 50 ms. Fix: check that the server is reachable and healthy, or raise timeout.',
    );
    expect(error.cause).toBeDefined();
    expect(error.details).toEqual({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a GET after a timeout', async () => {
    const server = await startServer(
      sequence(
        () => undefined,
        (res) => json(res, 200, { ok: true }),
      ),
    );
    // 500 ms: the answering attempt must not time out too on a loaded machine.
    const { transport } = harness(server.url, { timeoutMs: 500 });
    expect(await transport.request(GET_SECRETS)).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it('times out while the body is still streaming', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"secrets":');
    });
    const { transport } = harness(server.url, { timeoutMs: 50, retry: { maxRetries: 0 } });
    expect((await failure(transport.request(GET_SECRETS))).code).toBe('TIMEOUT');
  });
});

describe('Transport: no secret leaks', () => {
  it('logs one event per attempt with method, path, status, attempt and delay only', async () => {
    const server = await startServer(
      sequence(
        (res) =>
          json(res, 429, infisicalError(429, 'RateLimitExceeded', 'x'), { 'retry-after': '1' }),
        (res) => json(res, 200, { secret: { secretValue: SECRET_VALUE } }),
      ),
    );
    const { transport, logs } = harness(server.url);
    await transport.request({
      method: 'PATCH',
      path: '/api/v3/secrets/raw/DB_PASSWORD',
      query: { secretValue: SECRET_VALUE },
      body: { secretValue: SECRET_VALUE },
      token: TOKEN,
    });
    expect(logs).toEqual([
      {
        message: 'Infisical request failed, retrying',
        fields: {
          method: 'PATCH',
          path: '/api/v3/secrets/raw/DB_PASSWORD',
          status: 429,
          code: 'RATE_LIMITED',
          attempt: 1,
          delayMs: 1000,
        },
      },
      {
        message: 'Infisical request succeeded',
        fields: {
          method: 'PATCH',
          path: '/api/v3/secrets/raw/DB_PASSWORD',
          status: 200,
          attempt: 2,
        },
      },
    ]);
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(SECRET_VALUE);
    expect(logged).not.toContain('?');
  });

  it('logs a final failure', async () => {
    const server = await startServer((_req, res) =>
      json(res, 404, infisicalError(404, 'NotFound', 'x')),
    );
    const { transport, logs } = harness(server.url);
    await failure(transport.request(GET_SECRETS));
    expect(logs).toEqual([
      {
        message: 'Infisical request failed',
        fields: {
          method: 'GET',
          path: '/api/v3/secrets/raw',
          status: 404,
          code: 'NOT_FOUND',
          attempt: 1,
        },
      },
    ]);
  });

  it('keeps token, query and body out of errors and of the transport itself', async () => {
    const server = await startServer((_req, res) =>
      json(
        res,
        403,
        infisicalError(403, 'PermissionDenied', 'You are not allowed to edit on secrets'),
      ),
    );
    const { transport } = harness(server.url);
    const error = await failure(
      transport.request({
        method: 'PATCH',
        path: '/api/v3/secrets/raw/DB_PASSWORD',
        query: { secretValue: SECRET_VALUE },
        body: { secretValue: SECRET_VALUE },
        token: TOKEN,
      }),
    );
    expect(error.code).toBe('PERMISSION_DENIED');
    for (const shown of [
      error.message,
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      inspect(transport, { depth: 10, showHidden: true }),
    ]) {
      expect(shown).not.toContain(TOKEN);
      expect(shown).not.toContain(SECRET_VALUE);
    }
  });

  it('rejects a token that cannot be sent in a header without quoting it', async () => {
    const server = await startServer((_req, res) => json(res, 200, {}));
    const { transport } = harness(server.url);
    for (const token of [`${TOKEN}\r\nX-Injected: 1`, '', `${TOKEN} `, `tökén-${TOKEN}`]) {
      const error = await failure(transport.request({ ...GET_SECRETS, token }));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(inspect(error)).not.toContain(TOKEN);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('Transport: configuration', () => {
  it.each([
    [{ siteUrl: 'app.infisical.com' }, 'siteUrl is not an absolute URL'],
    [{ siteUrl: undefined as unknown as string }, 'siteUrl is not an absolute URL'],
    [{ siteUrl: 'ftp://app.infisical.com' }, 'siteUrl must use http or https'],
    [{ siteUrl: 'https://user:pass@app.infisical.com' }, 'siteUrl must not contain credentials'],
    [{ siteUrl: 'https://app.infisical.com/?x=1' }, 'a query string'],
    [{ siteUrl: 'https://app.infisical.com', retry: { maxRetries: -1 } }, 'retry.maxRetries'],
  ] as Array<[TransportOptions, string]>)('rejects %j', (options, message) => {
    expect(() => new Transport(options)).toThrow(message);
    try {
      new Transport(options);
    } catch (error) {
      expect((error as InfisicalError).code).toBe('CONFIG_INVALID');
      expect((error as InfisicalError).message).not.toContain('pass@');
    }
  });
});
