/**
 * A time-to-live cache with single-flight loading and stale-if-error.
 *
 * @module
 */

import { InfisicalError } from '../errors/infisical-error.js';
import { SingleFlight } from './single-flight.js';
import { type CacheEntry, type CacheStore, MemoryStore } from './store.js';

/** Options of {@link TtlCache}. */
export interface TtlCacheOptions<V> {
  /**
   * How long a value stays fresh after a successful load, in ms. `0` disables caching: every
   * `get` loads, but concurrent loads are still shared, and the last value still serves as
   * the stale fallback.
   */
  ttlMs: number;
  /**
   * Where entries are kept.
   * @default new MemoryStore()
   */
  store?: CacheStore<V>;
  /**
   * The clock, in ms since the epoch.
   * @default Date.now
   */
  now?: () => number;
  /**
   * Called when a load fails and the stale value is returned instead. Throw from it to fail
   * the call rather than serve the stale value.
   */
  onError?: (error: unknown, key: string) => void;
  /** Called after a successful load stored its value, with the value it replaced (if any). */
  onUpdate?: (key: string, value: V, previous: V | undefined) => void;
}

/** The outcome of a load: the value now cached, and the one cached before. */
export interface RefreshResult<V> {
  /** The freshly loaded value, or the stale one when the load failed. */
  value: V;
  /** The value cached before the load, if any. */
  previous: V | undefined;
}

/**
 * Caches loaded values per key for `ttlMs`. Concurrent loads of a key are shared; when a load
 * fails and a stale value exists, `onError` is called and the stale value returned. The TTL
 * counts from the last successful load: reads do not extend it.
 */
export class TtlCache<V> {
  readonly #ttlMs: number;
  readonly #store: CacheStore<V>;
  readonly #now: () => number;
  readonly #onError: ((error: unknown, key: string) => void) | undefined;
  readonly #onUpdate: ((key: string, value: V, previous: V | undefined) => void) | undefined;
  readonly #flight = new SingleFlight<string, RefreshResult<V>>();
  /** The current load of each key; `delete` and `clear` void it so its result is not stored. */
  readonly #loads = new Map<string, symbol>();

  /** @throws InfisicalError `CONFIG_INVALID` when `ttlMs` is negative or not a number. */
  constructor(options: TtlCacheOptions<V>) {
    if (typeof options.ttlMs !== 'number' || Number.isNaN(options.ttlMs) || options.ttlMs < 0) {
      throw new InfisicalError(
        'CONFIG_INVALID',
        'The cache ttlMs must be a non-negative number of milliseconds. Fix: pass 0 to disable caching, or a value such as 300000.',
      );
    }
    this.#ttlMs = options.ttlMs;
    this.#store = options.store ?? new MemoryStore<V>();
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError;
    this.#onUpdate = options.onUpdate;
  }

  /**
   * The cached value of `key` while fresh; otherwise the result of `load` (shared with
   * concurrent callers), or the stale value if `load` fails.
   *
   * @throws whatever `load` threw, when there is no stale value.
   */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = await this.#store.get(key);
    if (entry !== undefined && this.#isFresh(entry)) return entry.value;
    return (await this.#flight.run(key, () => this.#load(key, load))).value;
  }

  /**
   * The cached value of `key` when it is fresh and the store answers synchronously (the memory
   * store does), else undefined: the hot path of reads, without a load or a promise.
   */
  getFresh(key: string): V | undefined {
    const entry = this.#store.get(key);
    if (entry === undefined || entry instanceof Promise || !this.#isFresh(entry)) return undefined;
    return entry.value;
  }

  /**
   * Loads `key` now, fresh or not (joining a load already in flight), and returns the new
   * value with the previous one. When `load` fails with a stale value cached, `onError` is
   * called and the stale value returned as both `value` and `previous`.
   *
   * @throws whatever `load` threw, when there is no stale value.
   */
  refresh(key: string, load: () => Promise<V>): Promise<RefreshResult<V>> {
    return this.#flight.run(key, () => this.#load(key, load));
  }

  /** The stored entry of `key`, fresh or stale, without loading. */
  async peek(key: string): Promise<CacheEntry<V> | undefined> {
    return this.#store.get(key);
  }

  /** Removes `key`; a load in flight for it will not store its result. */
  async delete(key: string): Promise<void> {
    this.#loads.delete(key);
    this.#flight.forget(key);
    await this.#store.delete(key);
  }

  /** Removes every entry; loads in flight will not store their results. */
  async clear(): Promise<void> {
    this.#loads.clear();
    this.#flight.forgetAll();
    await this.#store.clear();
  }

  #isFresh(entry: CacheEntry<V>): boolean {
    const age = this.#now() - entry.fetchedAt;
    return age >= 0 && age < this.#ttlMs;
  }

  async #load(key: string, load: () => Promise<V>): Promise<RefreshResult<V>> {
    const id = Symbol();
    this.#loads.set(key, id);
    try {
      const previous = await this.#store.get(key);
      let value: V;
      try {
        value = await load();
      } catch (error) {
        if (previous === undefined || this.#loads.get(key) !== id) throw error;
        this.#onError?.(error, key);
        return { value: previous.value, previous: previous.value };
      }
      if (this.#loads.get(key) === id) {
        await this.#store.set(key, { value, fetchedAt: this.#now() });
        this.#onUpdate?.(key, value, previous?.value);
      }
      return { value, previous: previous?.value };
    } finally {
      if (this.#loads.get(key) === id) this.#loads.delete(key);
    }
  }
}
