/**
 * The dashboard's state and its four actions. It watches the example apps (their
 * `GET /api/secrets`) and the emulator (its event stream), and acts through the emulator's
 * control API: rotate a secret, take Infisical down (every API route faulted) and bring it back,
 * flood the apps with reads. Every change reaches `onChange`; `snapshot()` is what the page shows.
 *
 * @module dashboard/dashboard
 */
import { randomBytes } from 'node:crypto';
import { maskSecret } from '@infisical/core';
import { AppMonitor } from './app-monitor.mjs';
import { ControlApi } from './control-api.mjs';
import { EmulatorFeed, faultView, LIST_ROUTE, LOGIN_ROUTE } from './emulator-feed.mjs';
import { flood } from './flood.mjs';

/** @typedef {import('./app-monitor.mjs').WatchedApp} WatchedApp */
/** @typedef {import('./snapshot.js').Snapshot} Snapshot */
/** @typedef {import('./snapshot.js').AppView} AppView */
/** @typedef {import('./snapshot.js').AppReport} AppReport */
/** @typedef {import('./snapshot.js').FaultView} FaultView */
/** @typedef {import('./snapshot.js').RotationView} RotationView */
/** @typedef {import('./snapshot.js').OutageView} OutageView */
/** @typedef {import('./snapshot.js').FloodView} FloodView */

/**
 * Options of {@link Dashboard}.
 * @typedef {object} DashboardOptions
 * @property {readonly WatchedApp[]} apps - in column order
 * @property {{ url: string; controlToken: string }} emulator
 * @property {string} project - the slug of the project the apps read
 * @property {string} environment - the environment they read
 * @property {number} cacheTtl - the apps' cache TTL, in seconds
 * @property {number} [pollMs] - how often each app is asked for its values (default 500)
 * @property {number} [floodReads] - reads per app of one flood (default 2000)
 * @property {() => void} onChange - called after anything the page shows changed
 */

/** The private key the rotate button changes: every app serves it, masked. */
export const ROTATED_PRIVATE_KEY = 'SESSION_SECRET';
/** The public key the rotate button changes: the Vite page shows it, and reloads for it. */
export const ROTATED_PUBLIC_KEY = 'VITE_PUBLIC_GREETING';

/** The faults of the two outage buttons. */
const OUTAGES = /** @type {const} */ ({
  503: { route: '*', status: 503 },
  reset: { route: '*', reset: true },
});

/** @typedef {keyof typeof OUTAGES} OutageMode */

/** The list rate before a flood is measured over this window. */
const RATE_WINDOW_MS = 30_000;
/** A shorter history gives no rate. */
const MIN_RATE_SPAN_MS = 5000;

/** Thrown for an action that cannot run now; the server answers 409 with its message. */
export class ActionConflict extends Error {
  /** @override */
  name = 'ActionConflict';
}

/** The dashboard's state and actions. */
export class Dashboard {
  /** @type {Required<Omit<DashboardOptions, 'apps' | 'emulator'>>} */
  #options;
  /** @type {ControlApi} */
  #api;
  /** @type {EmulatorFeed} */
  #feed;
  /** @type {AppMonitor} */
  #monitor;
  /** @type {OutageView | null} */
  #outage = null;
  /** @type {RotationView | null} */
  #rotation = null;
  /** Each app's `loadedAt` when the last rotation was made. */
  /** @type {Record<string, string | null>} */
  #loadedAtBefore = {};
  /** @type {FloodView | null} */
  #flood = null;
  /** The secret-list counter as it moved: [time in ms, count], the last minute or so. */
  /** @type {[number, number][]} */
  #listSamples = [];

  /** @param {DashboardOptions} options */
  constructor({ apps, emulator, ...options }) {
    this.#options = { pollMs: 500, floodReads: 2000, ...options };
    this.#api = new ControlApi(emulator.url, emulator.controlToken);
    this.#feed = new EmulatorFeed(this.#api, () => {
      this.#sampleLists();
      this.#trackOutage(this.#feed.view.faults);
      options.onChange();
    });
    this.#monitor = new AppMonitor(apps, {
      pollMs: this.#options.pollMs,
      onPoll: (app, ok) => this.#countPoll(app, ok),
      onChange: () => {
        this.#trackRotation();
        options.onChange();
      },
    });
  }

  /** @returns {Snapshot} everything the page shows, now */
  snapshot() {
    const down = this.#outage !== null && this.#outage.until === null;
    return {
      at: new Date().toISOString(),
      settings: {
        cacheTtl: this.#options.cacheTtl,
        pollMs: this.#options.pollMs,
        floodReads: this.#options.floodReads,
        rotates: { private: ROTATED_PRIVATE_KEY, public: ROTATED_PUBLIC_KEY },
      },
      emulator: this.#feed.view,
      outage: this.#outage,
      apps: this.#monitor.apps.map((app) => {
        const poll = this.#monitor.state(app.id);
        return {
          ...app,
          state: !poll.everOk ? 'starting' : poll.error ? 'unreachable' : down ? 'stale' : 'live',
          status: poll.status,
          error: poll.error,
          checkedAt: poll.checkedAt,
          report: poll.report,
        };
      }),
      rotation: this.#rotation,
      flood: this.#flood,
    };
  }

  /**
   * Gives the rotated keys new values in Infisical (through the control API). The apps pick
   * them up on their next refetch; {@link RotationView.reached} records when each one did.
   * @returns {Promise<RotationView>}
   */
  async rotate() {
    const number = (this.#rotation?.number ?? 0) + 1;
    const served = this.#monitor.apps.map((app) => this.#monitor.state(app.id).report);
    // A fresh value whose mask differs from what any app shows now, so the change is visible.
    /** @type {string} */
    let secret;
    do secret = `rotated-session-secret-${randomBytes(6).toString('hex')}`;
    while (served.some((report) => report?.values[ROTATED_PRIVATE_KEY] === maskSecret(secret)));
    const greeting = `Hello again from Infisical, through Vite (rotation ${number})`;
    const { project, environment } = this.#options;
    await this.#api.setSecret({ project, environment, key: ROTATED_PRIVATE_KEY, value: secret });
    await this.#api.setSecret({ project, environment, key: ROTATED_PUBLIC_KEY, value: greeting });
    this.#loadedAtBefore = Object.fromEntries(
      this.#monitor.apps.map((app) => [
        app.id,
        this.#monitor.state(app.id).report?.loadedAt ?? null,
      ]),
    );
    this.#rotation = {
      number,
      at: new Date().toISOString(),
      keys: [
        { key: ROTATED_PRIVATE_KEY, mask: maskSecret(secret), value: null },
        { key: ROTATED_PUBLIC_KEY, mask: maskSecret(greeting), value: greeting },
      ],
      reached: Object.fromEntries(this.#monitor.apps.map((app) => [app.id, null])),
      sameProcess: {},
    };
    this.#trackRotation();
    this.#options.onChange();
    return this.#rotation;
  }

  /**
   * Takes Infisical down: one fault on every API route (503, or connections reset), replacing
   * any outage already on.
   * @param {string} mode - `503` or `reset`
   * @returns {Promise<OutageView>}
   */
  async takeDown(mode) {
    if (!Object.hasOwn(OUTAGES, mode)) throw new TypeError('mode must be "503" or "reset"');
    await this.#removeOutageFaults();
    await this.#api.addFault(OUTAGES[/** @type {OutageMode} */ (mode)]);
    this.#trackOutage((await this.#api.faults()).map(faultView));
    this.#options.onChange();
    return /** @type {OutageView} */ (this.#outage);
  }

  /**
   * Brings Infisical back: removes every outage fault (others stay).
   * @returns {Promise<OutageView | null>} the outage that ended, if any
   */
  async bringBack() {
    await this.#removeOutageFaults();
    this.#trackOutage((await this.#api.faults()).map(faultView));
    this.#options.onChange();
    return this.#outage;
  }

  /**
   * Fires `floodReads` reads at every app's endpoint at once and counts what reached Infisical
   * meanwhile.
   * @returns {Promise<FloodView>}
   */
  async flood() {
    if (this.#flood?.running) throw new ActionConflict('A flood is already running.');
    const reads = this.#options.floodReads;
    const apps = this.#monitor.apps;
    const before = await this.#api.counters();
    /** @type {FloodView} */
    const view = {
      running: true,
      startedAt: new Date().toISOString(),
      reads,
      apps: Object.fromEntries(apps.map((app) => [app.id, { done: 0, ok: 0, ms: null }])),
      durationMs: null,
      lists: { before: before.counts[LIST_ROUTE] ?? 0, after: null },
      listRateBefore: this.#listRate(),
      logins: { before: before.counts[LOGIN_ROUTE] ?? 0, after: null },
      error: null,
    };
    this.#flood = view;
    this.#options.onChange();
    const started = performance.now();
    try {
      await flood(apps, reads, (id, progress) => {
        view.apps[id] = { ...progress };
        this.#options.onChange();
      });
      view.durationMs = Math.round(performance.now() - started);
      const after = await this.#api.counters();
      view.lists.after = after.counts[LIST_ROUTE] ?? 0;
      view.logins.after = after.counts[LOGIN_ROUTE] ?? 0;
    } catch (error) {
      view.error = error instanceof Error ? error.message : 'the flood failed';
    } finally {
      view.running = false;
      this.#options.onChange();
    }
    return view;
  }

  /** Stops watching the apps and the emulator. */
  close() {
    this.#monitor.close();
    this.#feed.close();
  }

  #sampleLists() {
    const now = Date.now();
    this.#listSamples.push([now, this.#feed.view.lists]);
    const start = now - RATE_WINDOW_MS;
    // Keep one sample at or before the window's start: the count there.
    while ((this.#listSamples[1]?.[0] ?? now) <= start) this.#listSamples.shift();
  }

  /**
   * Secret lists per second over the last {@link RATE_WINDOW_MS}, or null with too short a history.
   * @returns {number | null}
   */
  #listRate() {
    const now = Date.now();
    const start = now - RATE_WINDOW_MS;
    const base = this.#listSamples[0];
    if (!base) return null;
    const from = Math.max(base[0], start);
    if (now - from < MIN_RATE_SPAN_MS) return null;
    return (this.#feed.view.lists - base[1]) / ((now - from) / 1000);
  }

  async #removeOutageFaults() {
    for (const fault of await this.#api.faults())
      if (outageMode(fault)) await this.#api.removeFault(fault.id);
  }

  /**
   * Starts or ends the outage record as the faults come and go (the emulator's own UI can switch
   * them too), and notes the first successful list after one.
   * @param {readonly FaultView[]} faults
   */
  #trackOutage(faults) {
    const mode = faults.map(outageMode).find((found) => found !== null) ?? null;
    const outage = this.#outage;
    if (mode && (!outage || outage.until)) {
      this.#outage = {
        mode,
        since: new Date().toISOString(),
        until: null,
        polls: 0,
        pollsOk: 0,
        failedAtStart: this.#feed.view.failed,
        recoveredAt: null,
      };
    } else if (mode && outage) {
      outage.mode = mode;
    } else if (!mode && outage && !outage.until) {
      outage.until = new Date().toISOString();
    }
    const lastOk = this.#feed.view.lastListOkAt;
    if (this.#outage?.until && !this.#outage.recoveredAt && lastOk && lastOk > this.#outage.until)
      this.#outage.recoveredAt = lastOk;
  }

  /**
   * @param {WatchedApp} app
   * @param {boolean} ok
   */
  #countPoll(app, ok) {
    const outage = this.#outage;
    if (!outage || outage.until || !this.#monitor.state(app.id).everOk) return;
    outage.polls++;
    if (ok) outage.pollsOk++;
  }

  #trackRotation() {
    const rotation = this.#rotation;
    if (!rotation) return;
    for (const app of this.#monitor.apps) {
      const { report, checkedAt } = this.#monitor.state(app.id);
      if (!report || rotation.reached[app.id] || !servesRotation(report, rotation)) continue;
      rotation.reached[app.id] = checkedAt;
      rotation.sameProcess[app.id] = report.loadedAt === this.#loadedAtBefore[app.id];
    }
  }
}

/**
 * What an outage fault does (`503`, `connection reset`), or null for any other fault: an outage
 * fault answers every API request (route `*` or `/api/*`, every time) with an error or a reset.
 * @param {FaultView} fault
 * @returns {string | null}
 */
export function outageMode(fault) {
  if (fault.route !== '*' && fault.route !== '/api/*') return null;
  if (fault.times !== undefined || (fault.rate !== undefined && fault.rate < 1)) return null;
  if (fault.reset) return 'connection reset';
  if (fault.status !== undefined && fault.status >= 500) return String(fault.status);
  return null;
}

/**
 * Whether a report serves every key of a rotation with its new value (masked, or as a public value).
 * @param {AppReport} report
 * @param {RotationView} rotation
 * @returns {boolean}
 */
function servesRotation(report, rotation) {
  return rotation.keys.every(
    ({ key, mask, value }) =>
      report.values[key] === mask || (value !== null && report.public[key] === value),
  );
}
