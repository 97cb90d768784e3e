/**
 * The HTTP server: refuses what the request guard refuses (Host, Origin, Fetch metadata, the
 * control token), serves the web UI and the control event stream, routes Infisical (and cloud
 * stand-in) requests and the `/_emulator` test controls, applies injected faults, records the
 * request log, and answers errors in the format of the emulated server version.
 *
 * @module http/server
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FaultRegistry } from '../control/faults.js';
import type { RequestLog } from '../control/request-log.js';
import { ApiError } from './api-error.js';
import { parseBody, parseQuery, readBody } from './body.js';
import { type ErrorFormat, HEADERS_TOO_LARGE, routeNotFound } from './error-format.js';
import type { RequestGuard } from './request-guard.js';
import type { RouteContext, RouteResult, Router } from './router.js';

/** The routers and instruments one HTTP server serves. */
export interface ServerParts {
  /** Infisical (and cloud stand-in) routes: counted, logged and open to faults. */
  api: Router;
  /** The test-control routes under `/_emulator`: never counted or faulted. */
  control: Router;
  faults: FaultRegistry;
  log: RequestLog;
  /** How the emulated server version renders errors (read per request: it follows a reset). */
  format: () => ErrorFormat;
  /** How the control API renders its errors (and the guard's refusals). */
  controlFormat: ErrorFormat;
  /** Checks Host, Origin and Fetch metadata of every request, and the control token; refusals are never counted. */
  guard: RequestGuard;
  /** Answers requests outside the routers (web UI pages, the control event stream), after the guard; resolves whether it did. */
  direct?: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;
}

/** Creates the HTTP server (not yet listening). */
export function createEmulatorServer(parts: ServerParts): Server {
  const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
    handle(parts, req, res).catch((error: unknown) => {
      // The client went away (it timed out or reset): nobody to answer.
      if (req.destroyed || res.destroyed || res.headersSent) return;
      const answer = parts
        .format()
        .error(new ApiError(500, 'InternalServerError', 'Something went wrong'));
      send(res, answer.status, answer.body);
      console.error(
        '[infisical-emulator] unexpected error:',
        error instanceof Error ? error.message : error,
      );
    });
  });
  // Fastify answers an oversized request line or header block with this JSON body.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      const payload = JSON.stringify(HEADERS_TOO_LARGE);
      socket.end(
        `HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
      );
    } else socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
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
  const refusal = parts.guard.refuse(req, url.pathname);
  if (refusal) {
    await readBody(req);
    const answer = parts.controlFormat.error(refusal);
    send(res, answer.status, answer.body, refusal.headers);
    return;
  }
  if (await parts.direct?.(req, res, url.pathname)) return;
  const router = isControl ? parts.control : parts.api;
  const format = isControl ? parts.controlFormat : parts.format();
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
    await readBody(req);
    const seconds = fault.retryAfter ?? 1;
    const rateLimit = fault.status === undefined || fault.status === 429;
    // Without a status, a rate limit is answered as the emulated version answers one.
    const answer =
      fault.status === undefined
        ? format.rateLimited(seconds)
        : format.error(
            fault.status === 429
              ? new ApiError(
                  429,
                  'RateLimitExceeded',
                  `Rate limit exceeded. Please try again in ${seconds} seconds`,
                )
              : new ApiError(
                  fault.status,
                  fault.status >= 500 ? 'InternalServerError' : 'InjectedFault',
                  'Injected fault',
                ),
          );
    const headers: Record<string, string> =
      rateLimit || fault.retryAfter !== undefined ? { 'retry-after': String(seconds) } : {};
    send(res, answer.status, fault.body ?? answer.body, headers);
    record(answer.status);
    return;
  }

  const raw = await readBody(req);
  if (!match) {
    send(res, 404, routeNotFound(method, url.pathname));
    record(404);
    return;
  }
  let parsed: { value: unknown } | undefined;
  const ctx: RouteContext = {
    req,
    params: match.params,
    query: parseQuery(url.searchParams),
    get body() {
      parsed ??= { value: parseBody(req, raw) };
      return parsed.value;
    },
    headers: req.headers,
    rawBody: raw.text,
  };
  let result: RouteResult;
  try {
    result = await match.handler(ctx);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const answer = format.error(error);
    send(res, answer.status, answer.body, error.headers);
    record(answer.status);
    return;
  }
  const status = result.status ?? 200;
  if (result.text !== undefined) sendText(res, status, result.text, result.headers);
  else if (result.json !== undefined) sendJson(res, status, result.json, result.headers);
  else send(res, status, result.body, result.headers);
  record(status);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, body === undefined ? '' : JSON.stringify(body), headers);
}

function sendJson(
  res: ServerResponse,
  status: number,
  json: string | Buffer,
  headers: Record<string, string> = {},
): void {
  // Encoded once: the length and the bytes written come from the same buffer.
  const payload = typeof json === 'string' ? Buffer.from(json) : json;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': payload.length,
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
