/**
 * Follows the emulator's live event stream (request counters, log, faults) and keeps what the
 * dashboard shows of it: logins, secret lists, failed requests, the newest log entries and when a
 * secret list last succeeded. Reconnects when the stream drops.
 *
 * @module dashboard/emulator-feed
 */

/** @typedef {import('./control-api.mjs').ControlApi} ControlApi */
/** @typedef {import('./control-api.mjs').ControlUpdate} ControlUpdate */
/** @typedef {import('./snapshot.js').EmulatorView} EmulatorView */

/** The route every app's secrets list takes. */
export const LIST_ROUTE = 'GET /api/v3/secrets/raw';
/** The route of a Universal Auth login. */
export const LOGIN_ROUTE = 'POST /api/v1/auth/universal-auth/login';

/** How many log entries the dashboard shows. */
const RECENT = 12;
/** Wait before reconnecting a dropped stream. */
const RECONNECT_MS = 1000;

/** The emulator as the dashboard sees it, kept current from the event stream. */
export class EmulatorFeed {
  /** @type {ControlApi} */
  #api;
  /** @type {() => void} */
  #onChange;
  #abort = new AbortController();
  /** Hits of every fault seen, removed ones included: the failed requests since the start. */
  /** @type {Map<string, number>} */
  #hits = new Map();
  /** @type {EmulatorView} */
  #view = {
    connected: false,
    total: 0,
    logins: 0,
    lists: 0,
    failed: 0,
    faults: [],
    recent: [],
    lastListOkAt: null,
  };

  /**
   * @param {ControlApi} api
   * @param {() => void} onChange - called after every update
   */
  constructor(api, onChange) {
    this.#api = api;
    this.#onChange = onChange;
    void this.#follow();
  }

  /** @returns {EmulatorView} what the dashboard shows now */
  get view() {
    return this.#view;
  }

  /** Stops following the stream. */
  close() {
    this.#abort.abort();
  }

  async #follow() {
    const { signal } = this.#abort;
    while (!signal.aborted) {
      try {
        await this.#api.events((update) => this.#apply(update), signal);
      } catch {
        // The emulator is stopping, or the stream could not be opened: retry below.
      }
      if (signal.aborted) return;
      if (this.#view.connected) {
        this.#view = { ...this.#view, connected: false };
        this.#onChange();
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS).unref());
    }
  }

  /** @param {ControlUpdate} update */
  #apply(update) {
    for (const fault of update.faults)
      this.#hits.set(fault.id, Math.max(fault.hits, this.#hits.get(fault.id) ?? 0));
    let lastListOkAt = this.#view.lastListOkAt;
    for (const entry of update.recent) {
      if (
        entry.route === LIST_ROUTE &&
        entry.status === 200 &&
        (!lastListOkAt || entry.at > lastListOkAt)
      )
        lastListOkAt = entry.at;
    }
    this.#view = {
      connected: true,
      total: update.total,
      logins: update.counts[LOGIN_ROUTE] ?? 0,
      lists: update.counts[LIST_ROUTE] ?? 0,
      failed: [...this.#hits.values()].reduce((sum, hits) => sum + hits, 0),
      faults: update.faults.map(faultView),
      recent: update.recent.slice(-RECENT).map(({ at, method, path, status, fault }) => ({
        at,
        method,
        path,
        status,
        faulted: fault !== undefined,
      })),
      lastListOkAt,
    };
    this.#onChange();
  }
}

/**
 * A fault as the page shows it: what it does and how often it fired (no custom body).
 * @param {import('@infisical/emulator').Fault} fault
 * @returns {import('./snapshot.js').FaultView}
 */
export function faultView({ id, route, status, reset, latencyMs, retryAfter, times, rate, hits }) {
  return {
    id,
    route,
    ...(status === undefined ? {} : { status }),
    ...(reset === undefined ? {} : { reset }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(times === undefined ? {} : { times }),
    ...(rate === undefined ? {} : { rate }),
    hits,
  };
}
