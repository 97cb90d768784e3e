import type { IncomingMessage } from 'node:http';

/** What a route handler receives. */
export interface RouteContext {
  req: IncomingMessage;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  headers: IncomingMessage['headers'];
  /** The body as received, for form-encoded requests. */
  rawBody: string;
}

/** What a route handler answers: a JSON body (or raw text) with a status and headers. */
export interface RouteResult {
  status?: number;
  body?: unknown;
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

/** A small method + path-template router (`/api/v3/secrets/raw/:secretName`). */
export class Router {
  readonly #routes: Route[] = [];

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

  /** Finds the route for a method and a decoded-on-demand pathname; literal segments win over params. */
  match(method: string, pathname: string): RouteMatch | undefined {
    const parts = pathname.split('/').filter(Boolean);
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    for (const route of this.#routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const segment = route.segments[i] as string;
        const part = parts[i] as string;
        const suffixAt = segment.indexOf(':', 1);
        if (segment.startsWith(':') && suffixAt !== -1) {
          // `:email:signJwt`: a parameter followed by a literal suffix (Google's custom verbs).
          const suffix = segment.slice(suffixAt);
          const value = safeDecode(part);
          if (!value.endsWith(suffix) || value.length === suffix.length) {
            ok = false;
            break;
          }
          params[segment.slice(1, suffixAt)] = value.slice(0, -suffix.length);
          literals += 0.5;
        } else if (segment.startsWith(':')) {
          params[segment.slice(1)] = safeDecode(part);
        } else if (segment === part) {
          literals++;
        } else {
          ok = false;
          break;
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
