/**
 * Serves the emulator's web UI: three static files (`ui/` in the package) under `/_emulator/ui`,
 * and a redirect from `/`. The pages hold no state or secret; everything they show they fetch from
 * the control API with the token the user hands them in the URL fragment.
 *
 * @module ui/pages
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

/** Where the web UI lives. */
export const UI_PATH = '/_emulator/ui';

/** The files of the UI, by request path, with their content types. */
const FILES: ReadonlyMap<string, { file: string; type: string }> = new Map([
  [UI_PATH, { file: 'index.html', type: 'text/html; charset=utf-8' }],
  [`${UI_PATH}/`, { file: 'index.html', type: 'text/html; charset=utf-8' }],
  [`${UI_PATH}/app.js`, { file: 'app.js', type: 'text/javascript; charset=utf-8' }],
  [`${UI_PATH}/app.css`, { file: 'app.css', type: 'text/css; charset=utf-8' }],
]);

/** Locks the pages down: own scripts and styles only, no framing, no referrer, no caching. */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Whether a path is one of the UI's public pages (served without the control token). */
export function isPagePath(pathname: string): boolean {
  return pathname === '/' || pathname === UI_PATH || pathname.startsWith(`${UI_PATH}/`);
}

/** The address to open the UI with: the token travels in the fragment, which no request carries. */
export function uiAddress(baseUrl: string, token?: string): string {
  return `${baseUrl}${UI_PATH}${token === undefined ? '' : `#token=${encodeURIComponent(token)}`}`;
}

/** Answers a request for a page, if it is one; returns whether it did. */
export type PageHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
) => Promise<boolean>;

/** The handler for the UI's files, read from `dir` once and kept. */
export function createPageHandler(dir: string): PageHandler {
  const cache = new Map<string, Promise<Buffer>>();
  const load = (file: string): Promise<Buffer> => {
    let content = cache.get(file);
    if (!content) {
      content = readFile(join(dir, file));
      content.catch(() => cache.delete(file));
      cache.set(file, content);
    }
    return content;
  };
  return async (req, res, pathname) => {
    if (!isPagePath(pathname)) return false;
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      answer(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed', { allow: 'GET, HEAD' });
      return true;
    }
    if (pathname === '/') {
      answer(res, 302, 'text/plain; charset=utf-8', `See ${UI_PATH}`, { location: UI_PATH });
      return true;
    }
    const entry = FILES.get(pathname);
    if (!entry) {
      answer(res, 404, 'text/plain; charset=utf-8', 'Not Found');
      return true;
    }
    const body = await load(entry.file);
    answer(res, 200, entry.type, method === 'HEAD' ? undefined : body, {}, body.length);
    return true;
  };
}

function answer(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer | undefined,
  headers: Record<string, string> = {},
  length = body === undefined ? 0 : Buffer.byteLength(body),
): void {
  res.writeHead(status, {
    ...PAGE_HEADERS,
    'content-type': type,
    'content-length': length,
    ...headers,
  });
  res.end(body);
}
