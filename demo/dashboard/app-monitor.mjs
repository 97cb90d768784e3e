/**
 * Asks every example app for the values it serves (`GET /api/secrets`, the shape they all share)
 * a few times a second and keeps the last answer of each.
 *
 * @module dashboard/app-monitor
 */

/** @typedef {import('./snapshot.js').AppReport} AppReport */

/**
 * An app the dashboard watches.
 * @typedef {object} WatchedApp
 * @property {string} id - `vite`, `next`, `nest`, `express`
 * @property {string} label - shown as the column title
 * @property {string} runs - how it runs, in a few words
 * @property {string} url - its page
 * @property {string} endpoint - its `GET /api/secrets`
 * @property {boolean} framed - whether the page shows it in a frame (the Vite dev page, which
 *   reloads itself when a public secret rotates)
 */

/**
 * The last poll of one app.
 * @typedef {object} PollState
 * @property {boolean} everOk - whether it ever answered with values
 * @property {number | null} status - the last answer's status, null when none came
 * @property {string | null} error - why the last poll failed
 * @property {string | null} checkedAt
 * @property {AppReport | null} report - the last report it served
 */

/** How long one poll may take (generous: a flood keeps the apps busy). */
const POLL_TIMEOUT_MS = 5000;

/** Polls the apps; `onPoll` hears every poll, `onChange` only answers that differ. */
export class AppMonitor {
  /** @type {readonly WatchedApp[]} */
  #apps;
  /** @type {number} */
  #pollMs;
  /** @type {(app: WatchedApp, ok: boolean) => void} */
  #onPoll;
  /** @type {() => void} */
  #onChange;
  /** @type {Map<string, PollState>} */
  #states = new Map();
  /** @type {Map<string, string>} */
  #last = new Map();
  /** @type {Set<NodeJS.Timeout>} */
  #timers = new Set();
  #closed = false;

  /**
   * @param {readonly WatchedApp[]} apps
   * @param {{ pollMs: number; onPoll: (app: WatchedApp, ok: boolean) => void; onChange: () => void }} options
   */
  constructor(apps, { pollMs, onPoll, onChange }) {
    this.#apps = apps;
    this.#pollMs = pollMs;
    this.#onPoll = onPoll;
    this.#onChange = onChange;
    for (const app of apps) {
      this.#states.set(app.id, {
        everOk: false,
        status: null,
        error: null,
        checkedAt: null,
        report: null,
      });
      void this.#loop(app);
    }
  }

  /** @returns {readonly WatchedApp[]} the apps, in column order */
  get apps() {
    return this.#apps;
  }

  /**
   * @param {string} id
   * @returns {PollState} the last poll of that app
   */
  state(id) {
    const state = this.#states.get(id);
    if (!state) throw new Error(`no app ${id}`);
    return state;
  }

  /** Stops polling. */
  close() {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** @param {WatchedApp} app */
  async #loop(app) {
    while (!this.#closed) {
      const started = Date.now();
      await this.#poll(app);
      const wait = Math.max(0, this.#pollMs - (Date.now() - started));
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          resolve(undefined);
        }, wait);
        this.#timers.add(timer);
      });
    }
  }

  /** @param {WatchedApp} app */
  async #poll(app) {
    const previous = this.state(app.id);
    /** @type {PollState} */
    let next;
    try {
      const res = await fetch(app.endpoint, { signal: AbortSignal.timeout(POLL_TIMEOUT_MS) });
      const text = await res.text();
      const report = res.ok ? asReport(parseJson(text)) : null;
      next = {
        everOk: previous.everOk || report !== null,
        status: res.status,
        error: report ? null : res.ok ? 'not the /api/secrets shape' : `HTTP ${res.status}`,
        checkedAt: new Date().toISOString(),
        report: report ?? previous.report,
      };
    } catch (error) {
      next = {
        ...previous,
        status: null,
        error: describe(error),
        checkedAt: new Date().toISOString(),
      };
    }
    if (this.#closed) return;
    this.#states.set(app.id, next);
    this.#onPoll(app, next.error === null);
    // checkedAt moves on every poll; only the rest decides whether the page must redraw.
    const key = JSON.stringify({ ...next, checkedAt: undefined });
    if (this.#last.get(app.id) !== key) {
      this.#last.set(app.id, key);
      this.#onChange();
    }
  }
}

/**
 * @param {string} text
 * @returns {unknown} the parsed JSON, or undefined
 */
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The report, if `body` has the shape every app serves.
 * @param {unknown} body
 * @returns {AppReport | null}
 */
function asReport(body) {
  if (typeof body !== 'object' || body === null) return null;
  const {
    app,
    source,
    values,
    public: publicValues,
    loadedAt,
    changedAt,
  } = /** @type {Record<string, unknown>} */ (body);
  if (!isStringMap(values) || !isStringMap(publicValues ?? {})) return null;
  return {
    app: String(app),
    source: typeof source === 'string' ? source : null,
    values,
    public: /** @type {Record<string, string>} */ (publicValues ?? {}),
    loadedAt: typeof loadedAt === 'string' ? loadedAt : null,
    changedAt: typeof changedAt === 'string' ? changedAt : null,
  };
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, string>}
 */
function isStringMap(value) {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === 'string')
  );
}

/**
 * A short reason for a failed poll.
 * @param {unknown} error
 * @returns {string}
 */
function describe(error) {
  if (!(error instanceof Error)) return 'no answer';
  if (error.name === 'TimeoutError') return `no answer within ${POLL_TIMEOUT_MS / 1000} s`;
  const cause = /** @type {{ code?: unknown } | undefined} */ (error.cause);
  return typeof cause?.code === 'string' ? cause.code : 'no answer';
}
