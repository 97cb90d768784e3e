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

/** Counts and the log of the Infisical and cloud requests the emulator has answered. */
export interface RequestStats {
  total: number;
  /** Count per route template; unmatched paths count under `METHOD path`. */
  counts: Record<string, number>;
  log: LoggedRequest[];
}

const MAX_LOG = 10_000;

/** Request counters and a bounded log. */
export class RequestLog {
  #seq = 0;
  #counts = new Map<string, number>();
  #log: LoggedRequest[] = [];
  readonly #onChange: (() => void) | undefined;

  /** @param onChange - called after every record and clear (the control event stream listens). */
  constructor(onChange?: () => void) {
    this.#onChange = onChange;
  }

  /** Records one answered request. */
  record(entry: Omit<LoggedRequest, 'seq' | 'at'>): void {
    const key = entry.route ?? `${entry.method} ${entry.path}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#log.push({ seq: ++this.#seq, at: new Date().toISOString(), ...entry });
    if (this.#log.length > MAX_LOG) this.#log.splice(0, this.#log.length - MAX_LOG);
    this.#onChange?.();
  }

  /** How many requests matched a route template (or all, without one). */
  count(route?: string): number {
    if (route === undefined) return [...this.#counts.values()].reduce((a, b) => a + b, 0);
    return this.#counts.get(route) ?? 0;
  }

  /** Counters and log. */
  stats(): RequestStats {
    return { ...this.counters(), log: [...this.#log] };
  }

  /** The counters without the log. */
  counters(): Omit<RequestStats, 'log'> {
    return { total: this.count(), counts: Object.fromEntries(this.#counts) };
  }

  /** The newest `limit` entries of the log, oldest first. */
  recent(limit: number): LoggedRequest[] {
    return this.#log.slice(-limit);
  }

  /** Forgets everything. */
  clear(): void {
    this.#counts.clear();
    this.#log = [];
    this.#onChange?.();
  }
}
