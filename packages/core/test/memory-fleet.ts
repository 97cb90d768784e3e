/**
 * An in-process implementation of the fleet interfaces (`FleetOptions`), for core's tests of
 * fleet behaviour without Redis: a shared map with expiry, leases that expire unless renewed,
 * and a bus that delivers asynchronously, as a network store would. `@infisical/redis` has the
 * real one, tested against a real Redis.
 *
 * @module
 */
import type {
  FleetOptions,
  Lease,
  SharedBus,
  SharedCache,
  SharedEntry,
  SharedLocks,
  SharedTokens,
} from '../src/index.ts';

/** What a test can do to the in-process store beyond the interfaces. */
export interface MemoryFleet {
  /** The options to give each client of the fleet (one object per instance, the same store). */
  options(): FleetOptions;
  /** Messages published so far, per channel. */
  readonly published: Map<string, number>;
  /** Ends every lease at once, as if its holder died (no renewal, no release). */
  expireLeases(): void;
}

interface Held {
  owner: symbol;
  until: number;
  lost: Set<() => void>;
}

/** A fleet store in this process. Leases renew every third of their TTL while held. */
export function memoryFleet(): MemoryFleet {
  const entries = new Map<string, { value: string; until: number; fetchedAt: number }>();
  const locks = new Map<string, Held>();
  const listeners = new Map<string, Set<(message: string) => void>>();
  const published = new Map<string, number>();

  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry !== undefined && entry.until <= Date.now()) entries.delete(key);
    return entries.get(key);
  };

  const cache: SharedCache = {
    get: async (key) => {
      const entry = live(key);
      return entry && ({ value: entry.value, fetchedAt: entry.fetchedAt } satisfies SharedEntry);
    },
    set: async (key, entry, ttlMs) => {
      entries.set(key, { ...entry, until: Date.now() + ttlMs });
    },
    delete: async (key) => {
      entries.delete(key);
    },
  };
  const tokens: SharedTokens = {
    get: async (key) => live(`token:${key}`)?.value,
    set: async (key, blob, ttlMs) => {
      entries.set(`token:${key}`, {
        value: blob,
        fetchedAt: Date.now(),
        until: Date.now() + ttlMs,
      });
    },
    delete: async (key) => {
      entries.delete(`token:${key}`);
    },
  };
  const sharedLocks: SharedLocks = {
    tryAcquire: async (name, ttlMs) => {
      const current = locks.get(name);
      if (current !== undefined && current.until > Date.now()) return undefined;
      const owner = Symbol(name);
      const held: Held = { owner, until: Date.now() + ttlMs, lost: new Set() };
      locks.set(name, held);
      const isHeld = () => locks.get(name)?.owner === owner && held.until > Date.now();
      const renew = setInterval(
        () => {
          if (isHeld()) {
            held.until = Date.now() + ttlMs;
            return;
          }
          clearInterval(renew);
          for (const listener of held.lost) listener();
        },
        Math.max(5, ttlMs / 3),
      );
      renew.unref();
      const lease: Lease = {
        get held() {
          return isHeld();
        },
        release: async () => {
          clearInterval(renew);
          if (locks.get(name)?.owner === owner) locks.delete(name);
        },
        onLost: (listener) => {
          held.lost.add(listener);
          return () => held.lost.delete(listener);
        },
      };
      return lease;
    },
  };
  const bus: SharedBus = {
    publish: async (channel, message) => {
      published.set(channel, (published.get(channel) ?? 0) + 1);
      for (const listener of [...(listeners.get(channel) ?? [])]) {
        setTimeout(() => listener(message), 1);
      }
    },
    subscribe: async (channel, listener) => {
      let set = listeners.get(channel);
      if (set === undefined) {
        set = new Set();
        listeners.set(channel, set);
      }
      set.add(listener);
      return async () => {
        set.delete(listener);
      };
    },
  };
  return {
    options: () => ({ cache, tokens, locks: sharedLocks, bus }),
    published,
    expireLeases: () => {
      for (const held of locks.values()) held.until = 0;
    },
  };
}
