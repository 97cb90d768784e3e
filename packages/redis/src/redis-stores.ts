/**
 * The key-value parts of the fleet: the shared folder cache and the shared tokens, as Redis
 * strings with an expiry (`SET … PX`). Values arrive sealed by core; this package stores them
 * as they are, under its prefix.
 *
 * @module
 */
import type { SharedCache, SharedEntry, SharedTokens } from '@infisical/core';
import type { RedisConnection } from './connection.js';

/** A positive whole number of ms, as Redis's `PX` takes it. */
export function pxOf(ttlMs: number): string {
  return String(Math.max(1, Math.ceil(Number.isFinite(ttlMs) ? ttlMs : 1)));
}

/** Strings with an expiry under one key prefix. */
class ExpiringStrings {
  readonly #redis: RedisConnection;
  readonly #prefix: string;

  constructor(redis: RedisConnection, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.#redis.command(['GET', this.#prefix + key]);
    return typeof value === 'string' ? value : undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#redis.command(['SET', this.#prefix + key, value, 'PX', pxOf(ttlMs)]);
  }

  async delete(key: string): Promise<void> {
    await this.#redis.command(['DEL', this.#prefix + key]);
  }
}

/** {@link SharedCache} in Redis: each entry one string, `<fetchedAt>:<sealed value>`. */
export class RedisSharedCache implements SharedCache {
  readonly #strings: ExpiringStrings;

  constructor(redis: RedisConnection, prefix: string) {
    this.#strings = new ExpiringStrings(redis, `${prefix}cache:`);
  }

  /** The entry under `key`, or undefined (absent, expired or malformed). */
  async get(key: string): Promise<SharedEntry | undefined> {
    const stored = await this.#strings.get(key);
    const colon = stored?.indexOf(':') ?? -1;
    if (stored === undefined || colon < 1) return undefined;
    const fetchedAt = Number(stored.slice(0, colon));
    return Number.isFinite(fetchedAt) ? { fetchedAt, value: stored.slice(colon + 1) } : undefined;
  }

  /** Stores `entry` for `ttlMs`. */
  set(key: string, entry: SharedEntry, ttlMs: number): Promise<void> {
    return this.#strings.set(key, `${Math.round(entry.fetchedAt)}:${entry.value}`, ttlMs);
  }

  /** Removes the entry. */
  delete(key: string): Promise<void> {
    return this.#strings.delete(key);
  }
}

/** {@link SharedTokens} in Redis: one sealed string per identity. */
export class RedisSharedTokens implements SharedTokens {
  readonly #strings: ExpiringStrings;

  constructor(redis: RedisConnection, prefix: string) {
    this.#strings = new ExpiringStrings(redis, `${prefix}token:`);
  }

  /** The sealed token of `identityKey`, or undefined. */
  get(identityKey: string): Promise<string | undefined> {
    return this.#strings.get(identityKey);
  }

  /** Stores the sealed token for `ttlMs`. */
  set(identityKey: string, blob: string, ttlMs: number): Promise<void> {
    return this.#strings.set(identityKey, blob, ttlMs);
  }

  /** Removes it. */
  delete(identityKey: string): Promise<void> {
    return this.#strings.delete(identityKey);
  }
}
