/**
 * The checks every request passes before any route sees it: its `Host` must be loopback or a name
 * the user allowed (a DNS-rebinding defence), cross-site requests are refused (`Origin` and
 * Fetch-metadata checks), and the control API under `/_emulator` needs its token and JSON bodies.
 *
 * @module http/request-guard
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { safeEqual } from '../auth/constant-time.js';
import { CONTROL_PREFIX } from '../control/control-token.js';
import { isPagePath } from '../ui/pages.js';
import { ApiError } from './api-error.js';

/** The host names every emulator answers to, whatever port it listens on. */
const LOOPBACK_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** What a {@link RequestGuard} enforces. */
export interface RequestGuardOptions {
  /** The interface the server listens on (`--host`); a specific address is allowed as a Host. */
  listenHost: string;
  /** More host names requests may carry (`allowedHosts`); `.example.test` allows it and its subdomains. */
  allowedHosts: readonly string[];
  /** The token the control API requires as `Authorization: Bearer <token>`. */
  controlToken: string;
}

/** Refuses requests whose Host, Origin or Fetch metadata betray another site, and unauthenticated control calls. */
export class RequestGuard {
  readonly #names: Set<string>;
  readonly #suffixes: string[];
  readonly #controlToken: string;

  constructor(options: RequestGuardOptions) {
    const allowed = options.allowedHosts.map((name) => name.toLowerCase());
    this.#names = new Set([
      ...LOOPBACK_NAMES,
      hostName(options.listenHost.includes(':') ? `[${options.listenHost}]` : options.listenHost),
      ...allowed.filter((name) => !name.startsWith('.')),
    ]);
    this.#suffixes = allowed.filter((name) => name.startsWith('.'));
    this.#controlToken = options.controlToken;
  }

  /** The error to answer instead of routing the request, or `undefined` when it may proceed. */
  refuse(req: IncomingMessage, pathname: string): ApiError | undefined {
    const host = req.headers.host;
    if (host === undefined || !this.#allowed(hostName(host))) {
      return forbidden(
        `Host "${clip(host ?? '')}" is not allowed: the emulator answers requests for 127.0.0.1, localhost and [::1]. Start it with --allowed-host <name> (allowedHosts) to accept another name.`,
      );
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.#sameSiteOrigin(origin, host)) {
      return forbidden(
        `Cross-site request refused: Origin "${clip(origin)}" is neither this emulator, loopback, nor an allowed host.`,
      );
    }
    const page = isPagePath(pathname);
    if (req.headers['sec-fetch-site'] === 'cross-site' && !(page && isTopLevelNavigation(req))) {
      return forbidden('Cross-site request refused (Sec-Fetch-Site: cross-site).');
    }
    if (page || !isControlPath(pathname)) return undefined;
    const refused = this.#checkToken(req.headers.authorization);
    if (refused) return refused;
    // A browser sends form types cross-site without a preflight; the control API never takes them.
    const type = req.headers['content-type'];
    if (type !== undefined && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
      return new ApiError(
        415,
        'UnsupportedMediaType',
        'The control API takes JSON bodies only: send "content-type: application/json".',
      );
    }
    return undefined;
  }

  #checkToken(header: string | undefined): ApiError | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (match && safeEqual(match[1] as string, this.#controlToken)) return undefined;
    return new ApiError(
      401,
      'ControlTokenRequired',
      match
        ? 'The control token is wrong. Use the one the emulator printed at start (or emulator.controlToken, or the --control-token you set).'
        : 'The control API needs its token: send "Authorization: Bearer <token>" with the token the emulator printed at start (or emulator.controlToken, or the --control-token you set).',
      { headers: { 'www-authenticate': 'Bearer realm="infisical-emulator-control"' } },
    );
  }

  #allowed(name: string): boolean {
    return (
      this.#names.has(name) ||
      this.#suffixes.some((suffix) => name.endsWith(suffix) || name === suffix.slice(1))
    );
  }

  /** Same origin as the request, or a loopback or allowed host on any port and scheme. */
  #sameSiteOrigin(origin: string, host: string): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // "null" (sandboxed frames, file: pages) and garbage
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return url.host === host.toLowerCase() || this.#allowed(hostName(url.host));
  }
}

/**
 * A link followed from another site to the web UI: a top-level GET navigation, which carries no
 * credentials the pages would act on (the UI's token lives in the URL fragment and sessionStorage).
 */
function isTopLevelNavigation(req: IncomingMessage): boolean {
  return (
    req.method === 'GET' &&
    req.headers['sec-fetch-mode'] === 'navigate' &&
    req.headers['sec-fetch-dest'] === 'document'
  );
}

/** Whether a path belongs to the control API. */
function isControlPath(pathname: string): boolean {
  return pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`);
}

/** The host name of a `Host` header or URL host, lower-cased, without port or trailing dot. */
function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  const name = lower.startsWith('[')
    ? lower.slice(0, lower.indexOf(']') + 1)
    : lower.replace(/:\d*$/, '');
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Whether a listen address (`--host`) is loopback only. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || (isIP(name) === 4 && name.startsWith('127.'));
}

/**
 * Checks the `allowedHosts` option: an array of host names (or IP addresses), without scheme,
 * port or path; a leading dot (`.example.test`) also allows every subdomain.
 */
export function checkAllowedHosts(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new TypeError('allowedHosts must be an array of host names, e.g. ["emulator.internal"]');
  return value.map((entry, index) => {
    if (typeof entry !== 'string' || !HOST_PATTERN.test(entry)) {
      const shown = typeof entry === 'string' ? ` ("${clip(entry)}")` : '';
      throw new TypeError(
        `allowedHosts[${index}]${shown} must be a host name or IP address without scheme, port or path, e.g. "emulator.internal" or ".dev.test"`,
      );
    }
    return entry;
  });
}

const HOST_PATTERN =
  /^(\.?[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_-]{1,63})*|\[[0-9A-Fa-f:.]+\])$/;

function forbidden(message: string): ApiError {
  return new ApiError(403, 'Forbidden', message);
}

/** A header value as shown in an error: bounded, printable. */
function clip(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 100 ? `${printable.slice(0, 100)}…` : printable;
}
