/**
 * The dashboard's HTTP server (`node:http`, loopback only): its page (`page/`), a Server-Sent
 * Events stream of snapshots, the four actions as JSON endpoints, and a redirect to the
 * emulator's web UI. The emulator's control token stays in this process: the page never holds
 * it, and the redirect that carries it (in the URL fragment) answers loopback clients only.
 *
 * | Route | Answer |
 * | --- | --- |
 * | `GET /` (and `/app.js`, `/app.css`) | the page |
 * | `GET /events` | `text/event-stream`: a `snapshot` event on connect and after every change |
 * | `GET /api/state` | the snapshot as JSON |
 * | `POST /api/rotate` | rotates (see {@link Dashboard.rotate}) |
 * | `POST /api/outage` `{ "mode": "503" \| "reset" }` / `DELETE /api/outage` | Infisical down / back |
 * | `POST /api/flood` | floods the apps with reads; answers when done |
 * | `GET /emulator-ui` | 302 to the emulator's UI, its token in the fragment |
 *
 * @module dashboard/server
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { ActionConflict, Dashboard } from './dashboard.mjs';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./dashboard.mjs').DashboardOptions} DashboardOptions */

/**
 * Options of {@link startDashboard}.
 * @typedef {Omit<DashboardOptions, 'onChange'> & { port: number; emulatorUiUrl: string }} DashboardServerOptions
 */

/**
 * A running dashboard.
 * @typedef {object} RunningDashboard
 * @property {string} url - its page
 * @property {Dashboard} dashboard
 * @property {() => Promise<void>} close - ends the streams and stops the server
 */

const PAGE_DIR = join(import.meta.dirname, 'page');
const STATIC = new Map([
  ['/', { file: 'index.html', type: 'text/html; charset=utf-8' }],
  ['/app.js', { file: 'app.js', type: 'text/javascript; charset=utf-8' }],
  ['/app.css', { file: 'app.css', type: 'text/css; charset=utf-8' }],
]);
/** Snapshots go out at most this often per change burst. */
const THROTTLE_MS = 150;
/** A comment line this often keeps idle streams open. */
const HEARTBEAT_MS = 15_000;
/** The largest request body accepted. */
const MAX_BODY = 4096;
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Starts the dashboard on 127.0.0.1.
 * @param {DashboardServerOptions} options
 * @returns {Promise<RunningDashboard>}
 */
export async function startDashboard({ port, emulatorUiUrl, ...options }) {
  /** @type {Set<ServerResponse>} */
  const streams = new Set();
  let lastSent = '';
  /** @type {NodeJS.Timeout | undefined} */
  let pending;
  const broadcast = () => {
    pending = undefined;
    if (streams.size === 0) return;
    const snapshot = dashboard.snapshot();
    // `at` moves every time; only the rest decides whether anything changed.
    const key = JSON.stringify({ ...snapshot, at: undefined });
    if (key === lastSent) return;
    lastSent = key;
    const event = `event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`;
    for (const res of streams) res.write(event);
  };
  const dashboard = new Dashboard({
    ...options,
    onChange: () => {
      pending ??= setTimeout(broadcast, THROTTLE_MS);
    },
  });
  const frameOrigins = options.apps
    .filter((app) => app.framed)
    .map((app) => new URL(app.url).origin)
    .join(' ');
  const pageHeaders = {
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-src ${frameOrigins || "'none'"}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
  };
  /** @type {Map<string, Promise<Buffer>>} */
  const files = new Map();
  /** @param {string} file */
  const load = (file) => {
    let content = files.get(file);
    if (!content) {
      content = readFile(join(PAGE_DIR, file));
      files.set(file, content);
    }
    return content;
  };

  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  /**
   * @param {IncomingMessage} req
   * @param {ServerResponse} res
   */
  const handle = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard.local');
    const method = req.method ?? 'GET';
    const refusal = refuse(req, method, url.pathname, ownPort);
    if (refusal) return json(res, refusal.status, { error: refusal.message });

    const page = STATIC.get(url.pathname);
    if (page && method === 'GET') {
      res.writeHead(200, { 'content-type': page.type, ...pageHeaders });
      res.end(await load(page.file));
      return;
    }
    if (url.pathname === '/events' && method === 'GET') {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.write(
        `retry: 1000\n\nevent: snapshot\ndata: ${JSON.stringify(dashboard.snapshot())}\n\n`,
      );
      streams.add(res);
      res.once('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/api/state' && method === 'GET')
      return json(res, 200, dashboard.snapshot());
    if (url.pathname === '/emulator-ui' && method === 'GET') {
      res.writeHead(302, {
        location: emulatorUiUrl,
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    const action = ACTIONS.get(`${method} ${url.pathname}`);
    if (!action) return json(res, 404, { error: `No route ${method} ${url.pathname}.` });
    const body = await readJson(req);
    if (body === undefined) return json(res, 400, { error: 'The body must be a JSON object.' });
    return json(res, 200, await action(dashboard, body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (res.headersSent) return void res.end();
      if (error instanceof ActionConflict) json(res, 409, { error: error.message });
      else if (error instanceof TypeError) json(res, 400, { error: error.message });
      else json(res, 502, { error: error instanceof Error ? error.message : 'The action failed.' });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  const ownPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    url: `http://127.0.0.1:${ownPort}/`,
    dashboard,
    close: async () => {
      clearInterval(heartbeat);
      clearTimeout(pending);
      dashboard.close();
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/** @typedef {(dashboard: Dashboard, body: Record<string, unknown>) => Promise<unknown>} Action */

/** The actions, by `METHOD path`. */
const ACTIONS = new Map(
  /** @type {[string, Action][]} */ ([
    ['POST /api/rotate', (dashboard) => dashboard.rotate()],
    ['POST /api/outage', (dashboard, body) => dashboard.takeDown(String(body.mode ?? '503'))],
    ['DELETE /api/outage', (dashboard) => dashboard.bringBack()],
    ['POST /api/flood', (dashboard) => dashboard.flood()],
  ]),
);

/**
 * Why a request is refused, if it is: a `Host` that is not this loopback server (DNS
 * rebinding), a cross-site request (another page in the browser), an action without a JSON
 * body (a form cannot send one), or the emulator's UI link asked for from elsewhere.
 * @param {IncomingMessage} req
 * @param {string} method
 * @param {string} pathname
 * @param {number} port
 * @returns {{ status: number; message: string } | undefined}
 */
function refuse(req, method, pathname, port) {
  const host = req.headers.host ?? '';
  const hostName = host.replace(/:\d+$/, '');
  if (!LOOPBACK_NAMES.has(hostName))
    return { status: 403, message: 'Open the dashboard as http://127.0.0.1 or http://localhost.' };
  const site = req.headers['sec-fetch-site'];
  const navigation = method === 'GET' && req.headers['sec-fetch-mode'] === 'navigate';
  if (site === 'cross-site' && !(navigation && pathname === '/'))
    return { status: 403, message: 'Cross-site requests are refused.' };
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, port))
    return { status: 403, message: 'Requests from other origins are refused.' };
  if (pathname === '/emulator-ui' && !isLoopback(req.socket.remoteAddress))
    return { status: 403, message: "The emulator's UI link is for this machine only." };
  if (method !== 'GET' && method !== 'HEAD') {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type))
      return { status: 415, message: 'Send the action with content-type: application/json.' };
  }
  return undefined;
}

/**
 * @param {string} origin
 * @param {number} port
 * @returns {boolean}
 */
function isOwnOrigin(origin, port) {
  try {
    const url = new URL(origin);
    return (
      url.protocol === 'http:' && LOOPBACK_NAMES.has(url.hostname) && Number(url.port) === port
    );
  } catch {
    return false;
  }
}

/**
 * @param {string | undefined} address
 * @returns {boolean}
 */
function isLoopback(address) {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/, '');
  return plain === '::1' || (isIP(plain) === 4 && plain.startsWith('127.'));
}

/**
 * The request's JSON object body (`{}` when empty), or undefined when it is not one.
 * @param {IncomingMessage} req
 * @returns {Promise<Record<string, unknown> | undefined>}
 */
async function readJson(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > MAX_BODY) return undefined;
  }
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function json(res, status, body) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}
