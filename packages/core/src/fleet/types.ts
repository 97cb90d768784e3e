/**
 * What a fleet of clients shares, as interfaces: a cache, a token per identity, locks with
 * leases, and a message bus. Core knows nothing of the store behind them (`@infisical/redis`
 * implements them); it encrypts everything it hands over, so a store sees opaque strings only.
 *
 * Any method may reject or hang: core wraps every call with a short timeout, falls back to
 * local behaviour (memory cache, direct requests) and tries to rejoin in the background.
 *
 * @module
 */

/** What a fleet shares; passed as `InfisicalClientOptions.fleet`. Every member is optional. */
export interface FleetOptions {
  /** Shared, encrypted folder cache: one fetch per folder per TTL for the whole fleet. */
  cache?: SharedCache;
  /** Shared access token per identity: one login for the fleet. */
  tokens?: SharedTokens;
  /** Fleet-wide locks and leases: single-flight, token renewal, event-stream leadership. */
  locks?: SharedLocks;
  /** Fleet-wide messages: change fan-out, single-flight results, leader events. */
  bus?: SharedBus;
  /**
   * The key everything shared is encrypted under: 32 bytes as standard base64
   * (`createSymmetricKey()`). Without it, a key is derived from the identity's credentials, so
   * every instance of one identity shares it and nobody else can read it.
   * @default derived from the credentials (HKDF-SHA256)
   */
  key?: string;
  /**
   * Time limit of each call to the store, in ms. A call that fails or takes longer marks the
   * store down: the instance works on its own (reported once through `onError`,
   * `FLEET_UNAVAILABLE`) and rejoins when a background probe answers.
   * @default 250
   */
  timeout?: number;
}

/** A store of opaque entries with an expiry. */
export interface SharedCache {
  /** The entry under `key`, or `undefined` when there is none (or it expired). */
  get(key: string): Promise<SharedEntry | undefined>;
  /** Stores `entry` under `key` for `ttlMs`, replacing any previous one. */
  set(key: string, entry: SharedEntry, ttlMs: number): Promise<void>;
  /** Removes the entry under `key`, if any. */
  delete(key: string): Promise<void>;
}

/** One shared cache entry; `value` is opaque (the client serialises and encrypts it first). */
export interface SharedEntry {
  /** The encrypted, serialised value. */
  value: string;
  /** When the value was fetched from Infisical, in ms since the epoch. */
  fetchedAt: number;
}

/** A store of one encrypted token blob per identity. */
export interface SharedTokens {
  /** The encrypted blob stored for `identityKey`, or `undefined`. */
  get(identityKey: string): Promise<string | undefined>;
  /** Stores `blob` for `identityKey` for `ttlMs`. */
  set(identityKey: string, blob: string, ttlMs: number): Promise<void>;
  /** Removes the blob of `identityKey`, if any. */
  delete(identityKey: string): Promise<void>;
}

/** A held lock: renewed in the background until released or lost. */
export interface Lease {
  /** True while this holder still owns the lock. */
  readonly held: boolean;
  /** Gives the lock up (only if still held by this holder). Never rejects for a lost lock. */
  release(): Promise<void>;
  /** Calls `listener` once if ownership is lost (not renewed in time, store down). Returns an unsubscribe. */
  onLost(listener: () => void): () => void;
}

/** Named, expiring locks shared by the fleet. */
export interface SharedLocks {
  /** Tries once; `undefined` when someone else holds `name`. */
  tryAcquire(name: string, ttlMs: number): Promise<Lease | undefined>;
}

/** Fleet-wide publish/subscribe. */
export interface SharedBus {
  /** Sends `message` to every subscriber of `channel`, this instance's included. */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `listener` for each message on `channel`; resolves once subscribed, to an unsubscribe. */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
}
