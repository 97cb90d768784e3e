/**
 * The shapes the dashboard server sends its page (`GET /events`, `GET /api/state`). Types only:
 * the server's modules and the page's script refer to them in JSDoc.
 *
 * @module dashboard/snapshot
 */

/** Everything the page shows, sent whole on every change. */
export interface Snapshot {
  /** When this snapshot was taken (ISO). */
  at: string;
  settings: Settings;
  emulator: EmulatorView;
  /** The current outage, or the last one (with `until`), or null. */
  outage: OutageView | null;
  apps: AppView[];
  /** The last rotation the dashboard made, or null. */
  rotation: RotationView | null;
  /** The last flood, running or done, or null. */
  flood: FloodView | null;
}

/** Fixed for the dashboard's life. */
export interface Settings {
  /** The apps' cache TTL in seconds (INFISICAL_CACHE_TTL). */
  cacheTtl: number;
  /** How often the dashboard asks each app for its values, in ms. */
  pollMs: number;
  /** Reads per app of one flood. */
  floodReads: number;
  /** The keys the rotate button changes. */
  rotates: { private: string; public: string };
}

/** The emulator's counters and faults, from its event stream. */
export interface EmulatorView {
  /** Whether the event stream is open. */
  connected: boolean;
  /** Every Infisical request answered since the start. */
  total: number;
  /** Universal Auth logins. */
  logins: number;
  /** Secret lists (`GET /api/v3/secrets/raw`), failed ones included. */
  lists: number;
  /** Requests that met an injected fault (an error status or a dropped connection). */
  failed: number;
  faults: FaultView[];
  /** The newest requests, oldest first. */
  recent: LogEntryView[];
  /** When a secret list last succeeded (ISO), or null. */
  lastListOkAt: string | null;
}

/** An active fault. */
export interface FaultView {
  id: string;
  route: string;
  status?: number;
  reset?: boolean;
  latencyMs?: number;
  retryAfter?: number;
  times?: number;
  rate?: number;
  hits: number;
}

/** One request the emulator answered (no headers, query values or bodies). */
export interface LogEntryView {
  at: string;
  method: string;
  path: string;
  /** 0 for a dropped connection. */
  status: number;
  /** Whether an injected fault answered it. */
  faulted: boolean;
}

/** What every example app answers at `GET /api/secrets`. */
export interface AppReport {
  app: string;
  source: string | null;
  /** Private values, masked with core's `maskSecret`. */
  values: Record<string, string>;
  /** Public values (client code sees them), as they are. */
  public: Record<string, string>;
  loadedAt: string | null;
  changedAt: string | null;
}

/**
 * `starting`: has not answered yet; `live`: answers, Infisical is up; `stale`: answers with its
 * last values while Infisical is down; `unreachable`: answered before, does not now.
 */
export type AppState = 'starting' | 'live' | 'stale' | 'unreachable';

/** One example app. */
export interface AppView {
  id: string;
  label: string;
  /** How it runs (`vite` dev server, `next start`, ...). */
  runs: string;
  /** Its page. */
  url: string;
  /** Its `GET /api/secrets`. */
  endpoint: string;
  /** Whether the page shows it in a frame (the Vite dev page reloads itself on rotation). */
  framed: boolean;
  state: AppState;
  /** The last answer's HTTP status, or null when none came. */
  status: number | null;
  /** Why the last poll failed, or null. */
  error: string | null;
  checkedAt: string | null;
  /** The last report it served. */
  report: AppReport | null;
}

/** A rotation made with the rotate button, and which apps serve it yet. */
export interface RotationView {
  /** 1 for the first rotation of this run. */
  number: number;
  at: string;
  keys: RotatedKey[];
  /** Per app id: when it first served every rotated key (ISO), or null. */
  reached: Record<string, string | null>;
  /** Per app id: whether its `loadedAt` stayed the same (it was not restarted). */
  sameProcess: Record<string, boolean>;
}

/** A key a rotation changed, as the apps serve it once they have the new value. */
export interface RotatedKey {
  key: string;
  /** The new value masked with core's `maskSecret`: what an app serving it as private shows. */
  mask: string;
  /** The new value itself, for a public key only (client code sees it anyway); else null. */
  value: string | null;
}

/** Infisical down: every API route faulted. */
export interface OutageView {
  /** `503` or `connection reset`, or what the fault does. */
  mode: string;
  since: string;
  /** When it ended, or null while it lasts. */
  until: string | null;
  /** The dashboard's reads of the apps during the outage, and how many were answered with values. */
  polls: number;
  pollsOk: number;
  /** The emulator's failed-request counter when the outage began. */
  failedAtStart: number;
  /** The first successful secret list after the outage ended (ISO), or null. */
  recoveredAt: string | null;
}

/** A flood of reads at every app's `GET /api/secrets`. */
export interface FloodView {
  running: boolean;
  startedAt: string;
  /** Reads per app. */
  reads: number;
  /** Per app id: reads done, answered 200, and the time taken. */
  apps: Record<string, { done: number; ok: number; ms: number | null }>;
  durationMs: number | null;
  /** The emulator's secret-list and login counters before and after (null while running). */
  lists: { before: number; after: number | null };
  /**
   * Secret lists per second in the 30 s before the flood (the apps' own refetches), or null
   * when the dashboard has watched for less than 5 s.
   */
  listRateBefore: number | null;
  logins: { before: number; after: number | null };
  error: string | null;
}
