/**
 * The emulator's clock: wall time plus an offset a test can move forward, so token and client
 * secret lifetimes can be tested without sleeping.
 *
 * @module state/clock
 */

/** Wall-clock time that tests can move forward. */
export class Clock {
  #offsetMs = 0;

  /** Milliseconds since the epoch, as the emulator sees them. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** The current time as an ISO string (what responses carry). */
  iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Moves the clock forward; returns the new offset from wall time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError('the clock only moves forward: pass a positive number of milliseconds');
    this.#offsetMs += ms;
    return this.#offsetMs;
  }

  /** Back to wall time. */
  reset(): void {
    this.#offsetMs = 0;
  }
}
