/**
 * Request counters and a bounded log of the Infisical and cloud requests the emulator answered.
 *
 * @module control/request-log
 */

/** One request the emulator answered (no headers, query values or bodies: they can hold secrets). */
export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  /** The matched route template (`GET /api/v3/secrets/raw/:secretName`), or null for a 404. */
  route: string | null;
  status: number;
  durationMs: number;
  /** The id of the fault that was injected, if any. */
  fault?: string;
}

/** Counts and the log of the requests the emulator has answered. */
export interface RequestStats {
  total: number;
  /** Count per route template; unmatched paths count under `METHOD path`. */
  counts: Record<string, number>;
  /** The most recent requests (at most 10,000), oldest first. */
  log: LoggedRequest[];
}

const MAX_LOG = 10_000;

/** Request counters and a bounded log, kept in a ring so recording costs the same at any size. */
export class RequestLog {
  #seq = 0;
  #total = 0;
  #counts = new Map<string, number>();
  #ring: (LoggedRequest | undefined)[] = new Array(MAX_LOG);
  #next = 0;
  #size = 0;
  readonly #onChange: (() => void) | undefined;

  /** @param onChange - called after every record and clear (the control event stream listens). */
  constructor(onChange?: () => void) {
    this.#onChange = onChange;
  }

  /** Records one answered request. */
  record(entry: Omit<LoggedRequest, 'seq' | 'at'>): void {
    const key = entry.route ?? `${entry.method} ${entry.path}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#total++;
    this.#ring[this.#next] = { seq: ++this.#seq, at: new Date().toISOString(), ...entry };
    this.#next = (this.#next + 1) % MAX_LOG;
    if (this.#size < MAX_LOG) this.#size++;
    this.#onChange?.();
  }

  /** How many requests matched a route template (or all, without one). */
  count(route?: string): number {
    return route === undefined ? this.#total : (this.#counts.get(route) ?? 0);
  }

  /** Counters and log. */
  stats(): RequestStats {
    return { ...this.counters(), log: this.recent(MAX_LOG) };
  }

  /** The counters without the log. */
  counters(): Omit<RequestStats, 'log'> {
    return { total: this.#total, counts: Object.fromEntries(this.#counts) };
  }

  /** The newest `limit` entries of the log, oldest first. */
  recent(limit: number): LoggedRequest[] {
    const size = Math.min(limit, this.#size);
    const start = (this.#next - size + MAX_LOG) % MAX_LOG;
    const log: LoggedRequest[] = [];
    for (let i = 0; i < size; i++) log.push(this.#ring[(start + i) % MAX_LOG] as LoggedRequest);
    return log;
  }

  /** Forgets everything. */
  clear(): void {
    this.#counts.clear();
    this.#ring = new Array(MAX_LOG);
    this.#next = 0;
    this.#size = 0;
    this.#total = 0;
    this.#onChange?.();
  }
}
