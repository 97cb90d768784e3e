/**
 * Where the cache keeps its entries. Plug in your own (Redis, KV, a file) by implementing
 * {@link CacheStore}; the default is {@link MemoryStore}.
 *
 * @module
 */

/** A cached value and when it was fetched. */
export interface CacheEntry<V> {
  /** The cached value. */
  value: V;
  /** When the value was fetched, in ms since the epoch; freshness counts from here. */
  fetchedAt: number;
}

/**
 * The pluggable store interface of the cache. Every method may be synchronous or return a
 * promise. A store holds secret values: keep it in memory or encrypt what you persist.
 */
export interface CacheStore<V> {
  /** The entry under `key`, or `undefined`. */
  get(key: string): CacheEntry<V> | undefined | Promise<CacheEntry<V> | undefined>;
  /** Stores `entry` under `key`, replacing any previous one. */
  set(key: string, entry: CacheEntry<V>): void | Promise<void>;
  /** Removes the entry under `key`, if any. */
  delete(key: string): void | Promise<void>;
  /** Removes every entry. */
  clear(): void | Promise<void>;
}

/** A {@link CacheStore} in a `Map`, local to the process; the default store. */
export class MemoryStore<V> implements CacheStore<V> {
  readonly #entries = new Map<string, CacheEntry<V>>();

  /** The entry under `key`, or `undefined`. */
  get(key: string): CacheEntry<V> | undefined {
    return this.#entries.get(key);
  }

  /** Stores `entry` under `key`. */
  set(key: string, entry: CacheEntry<V>): void {
    this.#entries.set(key, entry);
  }

  /** Removes the entry under `key`. */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Removes every entry. */
  clear(): void {
    this.#entries.clear();
  }
}
