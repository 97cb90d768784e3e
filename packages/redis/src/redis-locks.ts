/**
 * {@link SharedLocks} in Redis: `SET name token NX PX ttl` takes a lock; the holder renews it
 * every third of its TTL and releases it with a compare-and-delete script, so an expired
 * holder never deletes (or extends) the lock of the instance that took it over.
 *
 * @module
 */
import type { Lease, SharedLocks } from '@infisical/core';
import type { RedisConnection } from './connection.js';
import { pxOf } from './redis-stores.js';

/** Deletes the lock only while it holds this holder's token. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** Extends the lock only while it holds this holder's token. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** Named locks with a TTL, renewed while held. */
export class RedisSharedLocks implements SharedLocks {
  readonly #redis: RedisConnection;
  readonly #prefix: string;

  constructor(redis: RedisConnection, prefix: string) {
    this.#redis = redis;
    this.#prefix = `${prefix}lock:`;
  }

  /** Takes the lock `name` for `ttlMs` (renewed while held), or undefined when another holds it. */
  async tryAcquire(name: string, ttlMs: number): Promise<Lease | undefined> {
    const key = this.#prefix + name;
    const token = crypto.randomUUID();
    const px = pxOf(ttlMs);
    const taken = await this.#redis.command(['SET', key, token, 'NX', 'PX', px]);
    if (taken !== 'OK') return undefined;
    return new RedisLease(this.#redis, key, token, Number(px));
  }
}

/** A lock this instance holds, renewed every third of its TTL until released or lost. */
class RedisLease implements Lease {
  readonly #redis: RedisConnection;
  readonly #key: string;
  readonly #token: string;
  readonly #ttlMs: number;
  readonly #listeners = new Set<() => void>();
  readonly #timer: ReturnType<typeof setInterval>;
  #held = true;
  #renewedAt = Date.now();

  constructor(redis: RedisConnection, key: string, token: string, ttlMs: number) {
    this.#redis = redis;
    this.#key = key;
    this.#token = token;
    this.#ttlMs = ttlMs;
    this.#timer = setInterval(() => void this.#renew(), Math.max(1, Math.floor(ttlMs / 3)));
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /** Whether this instance still holds the lock. */
  get held(): boolean {
    return this.#held;
  }

  /** Gives the lock up, if still held. */
  async release(): Promise<void> {
    if (!this.#held) return;
    this.#stop();
    await this.#redis.command(['EVAL', RELEASE, '1', this.#key, this.#token]);
  }

  /** Calls `listener` once when the lock is lost. */
  onLost(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #renew(): Promise<void> {
    if (!this.#held) return;
    let renewed: unknown;
    try {
      renewed = await this.#redis.command([
        'EVAL',
        RENEW,
        '1',
        this.#key,
        this.#token,
        String(this.#ttlMs),
      ]);
    } catch {
      // Redis unreachable: the lock is lost once its TTL has passed without a renewal.
      if (Date.now() - this.#renewedAt >= this.#ttlMs) this.#lose();
      return;
    }
    if (Number(renewed) === 1) this.#renewedAt = Date.now();
    else this.#lose();
  }

  #lose(): void {
    if (!this.#held) return;
    this.#stop();
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch {
        // a listener cannot break the lease
      }
    }
    this.#listeners.clear();
  }

  #stop(): void {
    this.#held = false;
    clearInterval(this.#timer);
  }
}
