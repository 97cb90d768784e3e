/**
 * Request coalescing: concurrent callers asking for the same key share one call.
 *
 * @module
 */

/** Shares one in-flight promise per key among concurrent callers. */
export class SingleFlight<K, V> {
  readonly #inFlight = new Map<K, Promise<V>>();

  /**
   * Runs `fn` for `key`, or joins the call already in flight for it. The key is released when
   * the call settles, fulfilled or rejected, so the next `run` calls `fn` again.
   */
  run(key: K, fn: () => Promise<V>): Promise<V> {
    const current = this.#inFlight.get(key);
    if (current !== undefined) return current;
    const promise = invoke(fn).finally(() => {
      if (this.#inFlight.get(key) === promise) this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, promise);
    return promise;
  }

  /** Lets the next `run` for `key` start a new call; callers of the current one still get it. */
  forget(key: K): void {
    this.#inFlight.delete(key);
  }
}

function invoke<V>(fn: () => Promise<V>): Promise<V> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}
