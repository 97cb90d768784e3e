import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FaultRegistry } from '../control/faults.js';
import type { RequestLog } from '../control/request-log.js';
import { ApiError } from './api-error.js';
import type { RequestGuard } from './request-guard.js';
import type { RouteResult, Router } from './router.js';

const MAX_BODY = 10 * 1024 * 1024;

/** The routers and instruments one HTTP server serves. */
export interface ServerParts {
  /** Infisical (and cloud stand-in) routes: counted, logged and open to faults. */
  api: Router;
  /** The test-control routes under `/_emulator`: never counted or faulted. */
  control: Router;
  faults: FaultRegistry;
  log: RequestLog;
  /** Called after an API write that succeeded (for `--data` persistence). */
  afterWrite?: (routeId: string) => void;
  /** Checks Host, Origin and Fetch metadata of every request, and the control token; refusals are never counted. */
  guard?: RequestGuard;
  /** Answers requests outside the routers (web UI pages, the control event stream), after the guard; resolves whether it did. */
  direct?: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;
}

/** Creates the HTTP server (not yet listening). */
export function createEmulatorServer(parts: ServerParts): Server {
  const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
    handle(parts, req, res).catch((error: unknown) => {
      // The client went away (it timed out or reset): nobody to answer.
      if (req.destroyed || res.destroyed || res.headersSent) return;
      send(res, 500, errorBody(500, 'Internal Server Error', 'Something went wrong'));
      console.error(
        '[infisical-emulator] unexpected error:',
        error instanceof Error ? error.message : error,
      );
    });
  });
  return server;
}

async function handle(
  parts: ServerParts,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const isControl = url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/');
  const refusal = parts.guard?.refuse(req, url.pathname);
  if (refusal) {
    await drain(req);
    send(
      res,
      refusal.status,
      errorBody(refusal.status, refusal.error, refusal.body),
      refusal.headers,
    );
    return;
  }
  if (await parts.direct?.(req, res, url.pathname)) return;
  const router = isControl ? parts.control : parts.api;
  const match = router.match(method, url.pathname);
  const routeId = match?.id;

  const fault = isControl ? undefined : parts.faults.take(method, url.pathname, routeId);
  const record = (status: number) => {
    if (isControl) return;
    parts.log.record({
      method,
      path: url.pathname,
      route: routeId ?? null,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(fault ? { fault: fault.id } : {}),
    });
  };

  if (fault?.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault?.reset) {
    record(0);
    req.socket.destroy();
    return;
  }
  if (fault && (fault.status !== undefined || fault.retryAfter !== undefined)) {
    await drain(req);
    const status = fault.status ?? 429;
    const headers: Record<string, string> = {};
    let body = fault.body;
    if (status === 429) {
      const seconds = fault.retryAfter ?? 1;
      headers['retry-after'] = String(seconds);
      body ??= errorBody(
        429,
        'RateLimitExceeded',
        `Rate limit exceeded. Please try again in ${seconds} seconds`,
      );
    }
    body ??= errorBody(
      status,
      status >= 500 ? 'InternalServerError' : 'InjectedFault',
      'Injected fault',
    );
    send(res, status, body, headers);
    record(status);
    return;
  }

  let result: RouteResult;
  try {
    const raw = await readBody(req);
    const body = parseBody(req, raw);
    if (!match) {
      throw new ApiError(404, 'Not Found', `Route ${method}:${url.pathname} not found`);
    }
    result = await match.handler({
      req,
      params: match.params,
      query: Object.fromEntries(url.searchParams),
      body,
      headers: req.headers,
      rawBody: raw,
    });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const body = errorBody(error.status, error.error, error.body, error.details);
    send(res, error.status, body, error.headers);
    record(error.status);
    return;
  }
  const status = result.status ?? 200;
  if (result.text !== undefined) sendText(res, status, result.text, result.headers);
  else send(res, status, result.body, result.headers);
  record(status);
  if (!isControl && routeId && method !== 'GET' && status < 300) parts.afterWrite?.(routeId);
}

/** Infisical's error body. */
export function errorBody(
  statusCode: number,
  error: string,
  message: unknown,
  details?: unknown,
): Record<string, unknown> {
  return {
    reqId: `req-${randomBytes(7).toString('base64url')}`,
    statusCode,
    message,
    error,
    ...(details === undefined ? {} : { details }),
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'Payload Too Large', 'Request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}

function parseBody(req: IncomingMessage, raw: string): unknown {
  if (raw === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('json')) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(
      400,
      'Bad Request',
      "Body is not valid JSON but content-type is set to 'application/json'",
    );
  }
}
