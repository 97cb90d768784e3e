import { describe, expect, it, vi } from 'vitest';
import { deferred } from '../../test/deferred.ts';
import { type CacheEntry, type CacheStore, MemoryStore } from './store.js';
import { TtlCache, type TtlCacheOptions } from './ttl-cache.js';

/**
 * A cache on a manual clock starting at t = 1000 ms, over a memory store the test can look into;
 * reads of stale values wait unless asked.
 */
function setup(options: Partial<TtlCacheOptions<string>> = {}) {
  const clock = { now: 1000 };
  const onError = vi.fn();
  const store = new MemoryStore<string>();
  const cache = new TtlCache<string>({
    ttlMs: 1000,
    now: () => clock.now,
    onError,
    staleWhileRevalidate: false,
    store,
    ...options,
  });
  const peek = (key: string) => store.get(key);
  return { cache, clock, onError, peek };
}

/** A loader returning v1, v2, ... and counting its calls. */
function counter() {
  let calls = 0;
  const load = vi.fn(async () => `v${++calls}`);
  return load;
}

describe('TtlCache: freshness', () => {
  it('loads on a miss and stores the value with fetchedAt = now', async () => {
    const { cache, peek } = setup();
    const load = counter();
    expect(await cache.get('k', load)).toBe('v1');
    expect(peek('k')).toEqual({ value: 'v1', fetchedAt: 1000 });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('serves the stored value while fresh, and reloads once ttlMs has passed', async () => {
    const { cache, clock, peek } = setup();
    const load = counter();
    await cache.get('k', load);
    clock.now = 1999;
    expect(await cache.get('k', load)).toBe('v1');
    expect(load).toHaveBeenCalledTimes(1);
    clock.now = 2000;
    expect(await cache.get('k', load)).toBe('v2');
    expect(load).toHaveBeenCalledTimes(2);
    expect(peek('k')).toEqual({ value: 'v2', fetchedAt: 2000 });
  });

  it('does not extend the TTL on reads', async () => {
    const { cache, clock } = setup();
    const load = counter();
    await cache.get('k', load);
    for (const now of [1200, 1500, 1900, 1999]) {
      clock.now = now;
      expect(await cache.get('k', load)).toBe('v1');
    }
    clock.now = 2000;
    expect(await cache.get('k', load)).toBe('v2');
  });

  it('treats an entry from the future (clock moved back) as stale', async () => {
    const { cache, clock } = setup();
    const load = counter();
    await cache.get('k', load);
    clock.now = 500;
    expect(await cache.get('k', load)).toBe('v2');
  });

  it('keeps keys apart', async () => {
    const { cache } = setup();
    expect(await cache.get('a', async () => 'A')).toBe('A');
    expect(await cache.get('b', async () => 'B')).toBe('B');
    expect(await cache.get('a', async () => 'other')).toBe('A');
  });

  it('uses Date.now when no clock is given', async () => {
    const store = new MemoryStore<string>();
    const cache = new TtlCache<string>({ ttlMs: 60_000, store });
    const before = Date.now();
    await cache.get('k', async () => 'v');
    const entry = store.get('k');
    expect(entry?.fetchedAt).toBeGreaterThanOrEqual(before);
    expect(await cache.get('k', async () => 'other')).toBe('v');
  });
});

describe('TtlCache: single flight', () => {
  it('calls load once for 100 concurrent cold gets', async () => {
    const { cache } = setup();
    const gate = deferred<string>();
    const load = vi.fn(() => gate.promise);
    const gets = Array.from({ length: 100 }, () => cache.get('k', load));
    await vi.waitFor(() => expect(load).toHaveBeenCalled());
    gate.resolve('shared');
    expect(await Promise.all(gets)).toEqual(Array(100).fill('shared'));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('shares one failing load among concurrent callers', async () => {
    const { cache } = setup();
    const gate = deferred<string>();
    const load = vi.fn(() => gate.promise);
    const gets = Array.from({ length: 5 }, () => cache.get('k', load));
    await vi.waitFor(() => expect(load).toHaveBeenCalled());
    gate.reject(new Error('down'));
    const results = await Promise.allSettled(gets);
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('TtlCache: errors', () => {
  it('serves the stale value and calls onError when a reload fails', async () => {
    const { cache, clock, onError, peek } = setup();
    await cache.get('k', async () => 'good');
    clock.now = 5000;
    const failure = new Error('Infisical is down');
    expect(await cache.get('k', () => Promise.reject(failure))).toBe('good');
    expect(onError).toHaveBeenCalledExactlyOnceWith(failure, 'k');
    // The stale entry keeps its fetchedAt, so the next read tries again.
    expect(peek('k')).toEqual({ value: 'good', fetchedAt: 1000 });
    expect(await cache.get('k', async () => 'recovered')).toBe('recovered');
    expect(peek('k')).toEqual({ value: 'recovered', fetchedAt: 5000 });
  });

  it('rethrows when there is no stale value, and the next get retries', async () => {
    const { cache, onError, peek } = setup();
    const failure = new Error('first load failed');
    await expect(cache.get('k', () => Promise.reject(failure))).rejects.toBe(failure);
    expect(onError).not.toHaveBeenCalled();
    expect(peek('k')).toBeUndefined();
    expect(await cache.get('k', async () => 'second')).toBe('second');
  });

  it('works without onError', async () => {
    const { cache, clock } = setup({ onError: undefined });
    await cache.get('k', async () => 'good');
    clock.now = 5000;
    expect(await cache.get('k', () => Promise.reject(new Error('x')))).toBe('good');
  });
});

describe('TtlCache: ttlMs 0', () => {
  it('loads on every get', async () => {
    const { cache } = setup({ ttlMs: 0 });
    const load = counter();
    expect(await cache.get('k', load)).toBe('v1');
    expect(await cache.get('k', load)).toBe('v2');
    expect(await cache.get('k', load)).toBe('v3');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('still shares concurrent loads', async () => {
    const { cache } = setup({ ttlMs: 0 });
    const load = counter();
    expect(await Promise.all([cache.get('k', load), cache.get('k', load)])).toEqual(['v1', 'v1']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('still falls back to the last value when a load fails', async () => {
    const { cache, onError } = setup({ ttlMs: 0 });
    await cache.get('k', async () => 'last');
    expect(await cache.get('k', () => Promise.reject(new Error('x')))).toBe('last');
    expect(onError).toHaveBeenCalledTimes(1);
  });
});

describe('TtlCache: refresh', () => {
  it('forces a load on a fresh entry and returns the previous value', async () => {
    const { cache } = setup();
    const load = counter();
    await cache.get('k', load);
    expect(await cache.refresh('k', load)).toEqual({ value: 'v2', previous: 'v1' });
    expect(await cache.get('k', load)).toBe('v2');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('returns previous undefined on a cold key', async () => {
    const { cache } = setup();
    expect(await cache.refresh('k', async () => 'first')).toEqual({
      value: 'first',
      previous: undefined,
    });
  });

  it('restarts the TTL from the refresh', async () => {
    const { cache, clock } = setup();
    const load = counter();
    await cache.get('k', load);
    clock.now = 1900;
    await cache.refresh('k', load);
    clock.now = 2800;
    expect(await cache.get('k', load)).toBe('v2');
  });

  it('is single-flighted with get', async () => {
    const { cache, clock } = setup();
    await cache.get('k', async () => 'old');
    clock.now = 3000;
    const gate = deferred<string>();
    const load = vi.fn(() => gate.promise);
    const got = cache.get('k', load);
    await vi.waitFor(() => expect(load).toHaveBeenCalled());
    const refreshed = cache.refresh('k', load);
    gate.resolve('new');
    expect(await got).toBe('new');
    expect(await refreshed).toEqual({ value: 'new', previous: 'old' });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('on failure with a stale entry calls onError and returns the stale value as value and previous', async () => {
    const { cache, onError } = setup();
    await cache.get('k', async () => 'stale');
    const failure = new Error('down');
    expect(await cache.refresh('k', () => Promise.reject(failure))).toEqual({
      value: 'stale',
      previous: 'stale',
    });
    expect(onError).toHaveBeenCalledExactlyOnceWith(failure, 'k');
  });

  it('on failure without an entry rethrows', async () => {
    const { cache } = setup();
    await expect(cache.refresh('k', () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
  });
});

describe('TtlCache: pluggable store', () => {
  it('works with an asynchronous store', async () => {
    const map = new Map<string, CacheEntry<string>>();
    const store: CacheStore<string> = {
      get: async (key) => map.get(key),
      set: async (key, entry) => {
        map.set(key, entry);
      },
      delete: async (key) => {
        map.delete(key);
      },
      clear: async () => {
        map.clear();
      },
    };
    const { cache, clock } = setup({ store });
    const load = counter();
    expect(await cache.get('k', load)).toBe('v1');
    expect(map.get('k')).toEqual({ value: 'v1', fetchedAt: 1000 });
    expect(await cache.get('k', load)).toBe('v1');
    clock.now = 2500;
    expect(await cache.get('k', () => Promise.reject(new Error('x')))).toBe('v1');
    expect(await cache.refresh('k', load)).toEqual({ value: 'v2', previous: 'v1' });
    expect(map.get('k')).toEqual({ value: 'v2', fetchedAt: 2500 });
  });

  it('reads entries another process wrote into a shared store', async () => {
    const map = new Map<string, CacheEntry<string>>([['k', { value: 'shared', fetchedAt: 900 }]]);
    const store: CacheStore<string> = {
      get: (key) => map.get(key),
      set: (key, entry) => {
        map.set(key, entry);
      },
      delete: (key) => {
        map.delete(key);
      },
      clear: () => map.clear(),
    };
    const { cache } = setup({ store });
    const load = counter();
    expect(await cache.get('k', load)).toBe('shared');
    expect(load).not.toHaveBeenCalled();
  });
});

describe('TtlCache onUpdate', () => {
  it('reports each stored load with the value it replaced, not failed or voided loads', async () => {
    const updates: [string, number, number | undefined][] = [];
    let now = 0;
    const cache = new TtlCache<number>({
      ttlMs: 10,
      staleWhileRevalidate: false,
      now: () => now,
      onUpdate: (key, value, previous) => updates.push([key, value, previous]),
      onError: () => {},
    });
    await cache.get('a', async () => 1);
    await cache.get('a', async () => 99); // fresh: no load
    now = 20;
    await cache.get('a', async () => 2);
    now = 40;
    await cache.get('a', async () => {
      throw new Error('down');
    });
    expect(updates).toEqual([
      ['a', 1, undefined],
      ['a', 2, 1],
    ]);
  });
});

describe('TtlCache: stale-while-revalidate', () => {
  it('serves a stale value at once and reloads it in the background, once', async () => {
    const { cache, clock, peek } = setup({ staleWhileRevalidate: true });
    await cache.get('k', async () => 'old');
    clock.now = 5000;
    const gate = deferred<string>();
    const load = vi.fn(() => gate.promise);
    // The reload hangs: reads still answer at once, and share the one reload.
    expect(await cache.get('k', load)).toBe('old');
    expect(await cache.get('k', load)).toBe('old');
    expect(load).toHaveBeenCalledTimes(1);
    gate.resolve('new');
    await vi.waitFor(async () => expect(peek('k')?.value).toBe('new'));
    expect(await cache.get('k', load)).toBe('new');
  });

  it('reports a failed background reload and keeps serving the stale value', async () => {
    const { cache, clock, onError } = setup({ staleWhileRevalidate: true });
    await cache.get('k', async () => 'old');
    clock.now = 5000;
    const failure = new Error('down');
    expect(await cache.get('k', () => Promise.reject(failure))).toBe('old');
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(failure, 'k'));
    expect(await cache.get('k', async () => 'back')).toBe('old');
  });

  it('waits with ttlMs 0 (no caching asked for)', async () => {
    const { cache } = setup({ staleWhileRevalidate: true, ttlMs: 0 });
    const load = counter();
    expect(await cache.get('k', load)).toBe('v1');
    expect(await cache.get('k', load)).toBe('v2');
  });
});

describe('TtlCache: invalidate', () => {
  it('makes the next read wait for a reload, serving the old value if that reload fails', async () => {
    const { cache, onError } = setup({ staleWhileRevalidate: true });
    await cache.get('k', async () => 'before write');
    cache.invalidate('k');
    expect(cache.getFresh('k')).toBeUndefined();
    expect(await cache.get('k', async () => 'after write')).toBe('after write');
    cache.invalidate('k');
    const failure = new Error('down');
    expect(await cache.get('k', () => Promise.reject(failure))).toBe('after write');
    expect(onError).toHaveBeenCalledWith(failure, 'k');
  });

  it('does not store the result of a load that was in flight during the write', async () => {
    const { cache, peek } = setup();
    const gate = deferred<string>();
    const load = vi.fn(() => gate.promise);
    const pending = cache.get('k', load);
    await vi.waitFor(() => expect(load).toHaveBeenCalled());
    cache.invalidate('k');
    expect(await cache.get('k', async () => 'after write')).toBe('after write');
    gate.resolve('before write');
    await pending;
    expect(peek('k')?.value).toBe('after write');
  });
});

describe('TtlCache: a failing store', () => {
  const throwing = (): CacheStore<string> => ({
    get: () => {
      throw new Error('store down');
    },
    set: () => Promise.reject(new Error('store down')),
    delete: () => undefined,
    clear: () => undefined,
  });

  it('degrades to memory once, reporting it, and reads go on', async () => {
    const onStoreError = vi.fn();
    const { cache } = setup({ store: throwing(), onStoreError });
    const load = counter();
    expect(await cache.get('k', load)).toBe('v1');
    expect(await cache.get('k', load)).toBe('v1');
    expect(cache.getFresh('k')).toBe('v1');
    expect(load).toHaveBeenCalledTimes(1);
    expect(onStoreError).toHaveBeenCalledOnce();
  });

  it('degrades on the synchronous hot path too', () => {
    const onStoreError = vi.fn();
    const { cache } = setup({ store: throwing(), onStoreError });
    expect(cache.getFresh('k')).toBeUndefined();
    expect(onStoreError).toHaveBeenCalledOnce();
  });
});
