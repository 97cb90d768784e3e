/**
 * A small method + path-template router (`/api/v3/secrets/raw/:secretName`) with the server's
 * limit on path parameters: a parameter longer than `maxParamLength` matches no route.
 *
 * @module http/router
 */
import type { IncomingMessage } from 'node:http';

/** What a route handler receives. `body` is parsed when first read (and may throw then). */
export interface RouteContext {
  req: IncomingMessage;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  readonly body: unknown;
  headers: IncomingMessage['headers'];
  /** The body as received, for form-encoded requests. */
  rawBody: string;
}

/** What a route handler answers: a JSON body (or raw text) with a status and headers. */
export interface RouteResult {
  status?: number;
  body?: unknown;
  /** The body as JSON already (sent as it is). */
  json?: string | Buffer;
  text?: string;
  headers?: Record<string, string>;
}

/** A route handler. Throw an `ApiError` to answer an Infisical error body. */
export type RouteHandler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>;

interface Route {
  /** `METHOD /path/:param`, the id faults and counters use. */
  id: string;
  method: string;
  segments: string[];
  handler: RouteHandler;
}

/** A match of a request against the table. */
export interface RouteMatch {
  id: string;
  handler: RouteHandler;
  params: Record<string, string>;
}

/** Options of a {@link Router}. */
export interface RouterOptions {
  /** Longest decoded path parameter that still matches (Fastify's default is 100). @default Infinity */
  maxParamLength?: number;
}

/** Method + path-template routing; literal segments win over parameters. */
export class Router {
  readonly #routes: Route[] = [];
  readonly #maxParamLength: number;

  constructor(options: RouterOptions = {}) {
    this.#maxParamLength = options.maxParamLength ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Adds a route; `path` segments starting with `:` are parameters, and `:name:verb` is a
   * parameter followed by the literal suffix `:verb` (as in `…/serviceAccounts/:email:signJwt`).
   */
  add(method: string, path: string, handler: RouteHandler): this {
    this.#routes.push({
      id: `${method} ${path}`,
      method,
      segments: path.split('/').filter(Boolean),
      handler,
    });
    return this;
  }

  /** Finds the route for a method and a raw pathname. */
  match(method: string, pathname: string): RouteMatch | undefined {
    const parts = pathname.split('/').filter(Boolean);
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    for (const route of this.#routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const segment = route.segments[i] as string;
        const part = parts[i] as string;
        if (!segment.startsWith(':')) {
          if (segment === part) literals++;
          else ok = false;
          continue;
        }
        const value = safeDecode(part);
        if (value.length > this.#maxParamLength) return undefined;
        const suffixAt = segment.indexOf(':', 1);
        if (suffixAt === -1) {
          params[segment.slice(1)] = value;
          continue;
        }
        // `:email:signJwt`: a parameter followed by a literal suffix (Google's custom verbs).
        const suffix = segment.slice(suffixAt);
        if (!value.endsWith(suffix) || value.length === suffix.length) ok = false;
        else {
          params[segment.slice(1, suffixAt)] = value.slice(0, -suffix.length);
          literals += 0.5;
        }
      }
      if (ok && (!best || literals > best.literals)) best = { route, params, literals };
    }
    return best && { id: best.route.id, handler: best.route.handler, params: best.params };
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
