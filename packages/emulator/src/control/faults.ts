/**
 * Injected faults: per-route status answers, latency, connection resets and rate limits, matched
 * per request against the route template and the concrete path.
 *
 * @module control/faults
 */
import { randomUUID } from 'node:crypto';

/** A fault to inject into matching requests. */
export interface FaultSpec {
  /**
   * Which requests: `"GET /api/v3/secrets/raw"` (a route template or a concrete path, with an
   * optional method), a path prefix ending in `*` (`"/api/v3/secrets/*"`), or `"*"` for all.
   */
  route: string;
  /** Answer this status with Infisical's error body (or `body`) instead of the real answer. */
  status?: number;
  /** The JSON body to answer with `status` (default: Infisical's error body). */
  body?: unknown;
  /** Delay the request this long before it is handled (or failed). */
  latencyMs?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /**
   * Refuse as the rate limiter does, with this `Retry-After` (seconds): without `status`, the
   * emulated version's answer (429 `RateLimitExceeded` on newer servers, 500 on 2024-10).
   */
  retryAfter?: number;
  /** Apply to the next N matching requests only (default: every one until cleared). */
  times?: number;
  /** Apply to this fraction (0..1) of matching requests (default 1). */
  rate?: number;
}

/** A registered fault, with how often it has fired. */
export interface Fault extends FaultSpec {
  id: string;
  hits: number;
}

/** Injected faults, matched per request against the route template and the concrete path. */
export class FaultRegistry {
  #faults: Fault[] = [];
  readonly #onChange: (() => void) | undefined;

  /** @param onChange - called when a fault is added, removed or fires (the control event stream listens). */
  constructor(onChange?: () => void) {
    this.#onChange = onChange;
  }

  /** Registers a fault; returns it with its id. */
  add(spec: FaultSpec): Fault {
    if (typeof spec.route !== 'string' || spec.route.trim() === '')
      throw new TypeError('fault.route is required');
    const fault: Fault = { ...spec, id: randomUUID(), hits: 0 };
    this.#faults.push(fault);
    this.#onChange?.();
    return fault;
  }

  /** All registered faults. */
  list(): Fault[] {
    return [...this.#faults];
  }

  /** Removes one fault, or all without an id. */
  clear(id?: string): void {
    this.#faults = id ? this.#faults.filter((fault) => fault.id !== id) : [];
    this.#onChange?.();
  }

  /** The fault that applies to this request, if any (consuming one of its `times`). */
  take(method: string, pathname: string, routeId: string | undefined): Fault | undefined {
    for (const fault of this.#faults) {
      if (!matches(fault.route, method, pathname, routeId)) continue;
      if (fault.rate !== undefined && Math.random() >= fault.rate) continue;
      fault.hits++;
      if (fault.times !== undefined && fault.hits >= fault.times) this.clear(fault.id);
      else this.#onChange?.();
      return fault;
    }
    return undefined;
  }
}

function matches(
  route: string,
  method: string,
  pathname: string,
  routeId: string | undefined,
): boolean {
  const spec = route.trim();
  if (spec === '*') return true;
  const space = spec.indexOf(' ');
  const wantMethod = space > 0 ? spec.slice(0, space).toUpperCase() : undefined;
  const pattern = space > 0 ? spec.slice(space + 1).trim() : spec;
  if (wantMethod && wantMethod !== method) return false;
  if (pattern.endsWith('*')) return pathname.startsWith(pattern.slice(0, -1));
  const template = routeId?.slice(routeId.indexOf(' ') + 1);
  return pattern === pathname || pattern === template;
}
