/**
 * A time-to-live cache with single-flight loading, stale-while-revalidate, stale-if-error, and a
 * store that degrades to memory when it fails.
 *
 * @module
 */

import { SingleFlight } from './single-flight.js';
import { type CacheEntry, type CacheStore, MemoryStore } from './store.js';

/** Options of {@link TtlCache}. */
export interface TtlCacheOptions<V> {
  /**
   * How long a value stays fresh after a successful load, in ms. `0` disables caching: every
   * `get` loads (and waits), but concurrent loads are still shared, and the last value still
   * serves as the stale fallback.
   */
  ttlMs: number;
  /**
   * With a stale value cached, `get` returns it at once and reloads in the background. Off, or
   * with `ttlMs` 0, `get` waits for the reload.
   * @default true
   */
  staleWhileRevalidate?: boolean;
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
  /** Called when a load fails and the stale value is served instead (also for background loads). */
  onError?: (error: unknown, key: string) => void;
  /** Called after a successful load stored its value, with the value it replaced (if any). */
  onUpdate?: (key: string, value: V, previous: V | undefined) => void;
  /** Called once when the store throws; from then on the cache keeps its entries in memory. */
  onStoreError?: (error: unknown) => void;
  /**
   * When a loaded value was fetched, if earlier than its load (a value another instance
   * fetched): freshness counts from then.
   * @default the time of the load
   */
  fetchedAt?: (value: V) => number | undefined;
}

/** The outcome of a load: the value now cached, and the one cached before. */
export interface RefreshResult<V> {
  /** The freshly loaded value, or the stale one when the load failed. */
  value: V;
  /** The value cached before the load, if any. */
  previous: V | undefined;
}

const ignore = (): void => undefined;

/**
 * Caches loaded values per key for `ttlMs`. Concurrent loads of a key are shared; a stale value
 * is served while a background load runs; when a load fails and a stale value exists, `onError`
 * is called and the stale value served. The TTL counts from the last successful load: reads do
 * not extend it.
 */
export class TtlCache<V> {
  readonly #ttlMs: number;
  readonly #swr: boolean;
  #store: CacheStore<V>;
  #degraded = false;
  readonly #now: () => number;
  readonly #onError: ((error: unknown, key: string) => void) | undefined;
  readonly #onUpdate: ((key: string, value: V, previous: V | undefined) => void) | undefined;
  readonly #onStoreError: ((error: unknown) => void) | undefined;
  readonly #fetchedAt: ((value: V) => number | undefined) | undefined;
  readonly #flight = new SingleFlight<string, RefreshResult<V>>();
  /** The current load of each key; `invalidate` voids it so its result is not stored. */
  readonly #loads = new Map<string, symbol>();
  /** Keys a write invalidated: the next read waits for a load, the old value stays as fallback. */
  readonly #invalid = new Set<string>();

  /** @param options - `ttlMs` must be a checked, non-negative number of ms. */
  constructor(options: TtlCacheOptions<V>) {
    this.#ttlMs = options.ttlMs;
    this.#swr = (options.staleWhileRevalidate ?? true) && options.ttlMs > 0;
    this.#store = options.store ?? new MemoryStore<V>();
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError;
    this.#onUpdate = options.onUpdate;
    this.#onStoreError = options.onStoreError;
    this.#fetchedAt = options.fetchedAt;
  }

  /**
   * The cached value of `key` while fresh; a stale value at once (reloading in the background);
   * otherwise the result of `load` (shared with concurrent callers), or the stale value if `load`
   * fails.
   *
   * @throws whatever `load` threw, when there is no stale value.
   */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = await this.#read(key);
    if (entry !== undefined && !this.#invalid.has(key)) {
      if (this.#isFresh(entry)) return entry.value;
      if (this.#swr) {
        this.#flight.run(key, () => this.#load(key, load)).catch(ignore);
        return entry.value;
      }
    }
    return (await this.#flight.run(key, () => this.#load(key, load))).value;
  }

  /**
   * The cached value of `key` when it is fresh and the store answers synchronously (the memory
   * store does), else undefined: the hot path of reads, without a load or a promise.
   */
  getFresh(key: string): V | undefined {
    let entry: CacheEntry<V> | Promise<CacheEntry<V> | undefined> | undefined;
    try {
      entry = this.#store.get(key);
    } catch (error) {
      this.#degrade(error);
      return undefined;
    }
    if (entry === undefined || entry instanceof Promise) {
      // An asynchronous store answers through get(); a rejection there degrades the store.
      (entry as Promise<unknown> | undefined)?.catch(ignore);
      return undefined;
    }
    if (this.#invalid.has(key) || !this.#isFresh(entry)) return undefined;
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

  /**
   * Makes the next read of `key` wait for a load (a write changed it), keeping the current value
   * as the fallback should that load fail. A load in flight will not store its result.
   */
  invalidate(key: string): void {
    this.#void(key);
    this.#invalid.add(key);
  }

  #void(key: string): void {
    this.#loads.delete(key);
    this.#flight.forget(key);
  }

  #isFresh(entry: CacheEntry<V>): boolean {
    const age = this.#now() - entry.fetchedAt;
    return age >= 0 && age < this.#ttlMs;
  }

  async #load(key: string, load: () => Promise<V>): Promise<RefreshResult<V>> {
    const id = Symbol();
    this.#loads.set(key, id);
    try {
      const previous = await this.#read(key);
      let value: V;
      try {
        value = await load();
      } catch (error) {
        // A voided load (invalidate) falls back on what is stored now, which may be newer.
        const fallback = this.#loads.get(key) === id ? previous : await this.#read(key);
        if (fallback === undefined) throw error;
        this.#onError?.(error, key);
        return { value: fallback.value, previous: fallback.value };
      }
      if (this.#loads.get(key) === id) {
        const fetchedAt = Math.min(
          this.#fetchedAt?.(value) ?? Number.POSITIVE_INFINITY,
          this.#now(),
        );
        await this.#write((store) => store.set(key, { value, fetchedAt }));
        this.#invalid.delete(key);
        this.#onUpdate?.(key, value, previous?.value);
      }
      return { value, previous: previous?.value };
    } finally {
      if (this.#loads.get(key) === id) this.#loads.delete(key);
    }
  }

  async #read(key: string): Promise<CacheEntry<V> | undefined> {
    try {
      return await this.#store.get(key);
    } catch (error) {
      this.#degrade(error);
      return this.#store.get(key);
    }
  }

  async #write(operation: (store: CacheStore<V>) => void | Promise<void>): Promise<void> {
    try {
      await operation(this.#store);
    } catch (error) {
      this.#degrade(error);
      await operation(this.#store);
    }
  }

  /** A throwing store is replaced by memory, once: reads go on against Infisical. */
  #degrade(error: unknown): void {
    if (this.#degraded) return;
    this.#degraded = true;
    this.#store = new MemoryStore<V>();
    this.#onStoreError?.(error);
  }
}
