/**
 * Whether the fleet's store answers: every call to it runs with a short time limit; the first
 * failure or timeout marks the store down (reported once), after which calls are not tried at
 * all (the client works on its own) while a probe retries in the background with jittered,
 * growing delays; the first probe that answers rejoins.
 *
 * @module
 */
import type { Logger } from '../api/logger.js';
import { InfisicalError } from '../errors/infisical-error.js';

/** The result of a guarded call: its value, or `ok: false` when the store failed or is down. */
export type Outcome<T> = { ok: true; value: T } | { ok: false };

/** Options of {@link FleetHealth}. */
export interface FleetHealthOptions {
  /** Time limit of each store call, in ms. */
  timeoutMs: number;
  /** A cheap call to the store; resolving means it answers again. */
  probe(): Promise<unknown>;
  /** Receives the one `FLEET_UNAVAILABLE` error of each outage. */
  report(error: InfisicalError): void;
  /** Called after a probe answered (the store is back). */
  rejoined(): void;
  logger: Logger;
}

const FIRST_PROBE_MS = 500;
const MAX_PROBE_MS = 5_000;
const FAILED: Outcome<never> = Object.freeze({ ok: false });

type Timer = ReturnType<typeof setTimeout>;

/** Guards the calls to one fleet store. */
export class FleetHealth {
  readonly #options: FleetHealthOptions;
  #up = true;
  #probes = 0;
  #timer: Timer | undefined;
  #closed = false;
  readonly #listeners = new Set<(up: boolean) => void>();

  constructor(options: FleetHealthOptions) {
    this.#options = options;
  }

  /** Whether the store is believed to answer. */
  get up(): boolean {
    return this.#up && !this.#closed;
  }

  /** Calls `listener` when the store goes down (`false`) or comes back (`true`). Returns an unsubscribe. */
  onChange(listener: (up: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Runs `call` within the time limit. While the store is down it is not run. Never rejects:
   * a failure marks the store down and gives `{ ok: false }`.
   */
  async run<T>(call: () => Promise<T>): Promise<Outcome<T>> {
    if (!this.up) return FAILED;
    try {
      return { ok: true, value: await this.#limited(call) };
    } catch (error) {
      this.fail(error);
      return FAILED;
    }
  }

  /**
   * Like {@link run}, for callers outside core's own fleet code: the value, or a rejection with
   * `FLEET_UNAVAILABLE` when the store failed or is down.
   */
  async call<T>(call: () => Promise<T>): Promise<T> {
    const outcome = await this.run(call);
    if (outcome.ok) return outcome.value;
    throw new InfisicalError(
      'FLEET_UNAVAILABLE',
      'The fleet store is unavailable; this instance works on its own until it answers again. Fix: check the Redis or Valkey server.',
    );
  }

  /** Marks the store down (reported once per outage) and starts probing. */
  fail(cause: unknown): void {
    if (!this.#up || this.#closed) return;
    this.#up = false;
    this.#probes = 0;
    const timedOut = cause instanceof InfisicalError && cause.code === 'TIMEOUT';
    this.#options.report(
      new InfisicalError(
        'FLEET_UNAVAILABLE',
        `The fleet store ${timedOut ? `did not answer within ${this.#options.timeoutMs} ms` : 'failed'}, so this instance works on its own (its memory cache, its own requests to Infisical) and rejoins when the store answers again. Fix: check the Redis or Valkey server.`,
        { cause },
      ),
    );
    this.#emit(false);
    this.#scheduleProbe();
  }

  /** Stops probing; every later call gives `{ ok: false }`. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#listeners.clear();
  }

  #limited<T>(call: () => Promise<T>): Promise<T> {
    const { timeoutMs } = this.#options;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new InfisicalError('TIMEOUT', `The fleet store did not answer within ${timeoutMs} ms.`),
          ),
        timeoutMs,
      );
      (timer as { unref?: () => void }).unref?.();
      let pending: Promise<T>;
      try {
        pending = Promise.resolve(call());
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  #scheduleProbe(): void {
    if (this.#closed) return;
    const base = Math.min(MAX_PROBE_MS, FIRST_PROBE_MS * 2 ** this.#probes);
    const delay = base / 2 + Math.random() * (base / 2);
    this.#probes++;
    const timer = setTimeout(() => void this.#probe(), delay);
    (timer as { unref?: () => void }).unref?.();
    this.#timer = timer;
  }

  async #probe(): Promise<void> {
    this.#timer = undefined;
    if (this.#closed) return;
    try {
      await this.#limited(this.#options.probe);
    } catch {
      this.#scheduleProbe();
      return;
    }
    if (this.#closed) return;
    this.#up = true;
    this.#options.logger.debug('Infisical fleet store answers again; rejoined the fleet', {
      probes: this.#probes,
    });
    this.#emit(true);
    this.#options.rejoined();
  }

  #emit(up: boolean): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(up);
      } catch {
        // a listener cannot break the health check
      }
    }
  }
}
