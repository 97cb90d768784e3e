import { describe, expect, it } from 'vitest';
import { type CacheStore, MemoryStore } from './store.js';

describe('MemoryStore', () => {
  it('gets, sets, deletes and clears entries', () => {
    const store: CacheStore<string> = new MemoryStore<string>();
    expect(store.get('a')).toBeUndefined();
    store.set('a', { value: 'one', fetchedAt: 1 });
    store.set('b', { value: 'two', fetchedAt: 2 });
    expect(store.get('a')).toEqual({ value: 'one', fetchedAt: 1 });
    store.set('a', { value: 'uno', fetchedAt: 3 });
    expect(store.get('a')).toEqual({ value: 'uno', fetchedAt: 3 });
    store.delete('a');
    expect(store.get('a')).toBeUndefined();
    expect(store.get('b')).toEqual({ value: 'two', fetchedAt: 2 });
    store.clear();
    expect(store.get('b')).toBeUndefined();
  });

  it('keeps separate instances apart', () => {
    const first = new MemoryStore<number>();
    const second = new MemoryStore<number>();
    first.set('k', { value: 1, fetchedAt: 0 });
    expect(second.get('k')).toBeUndefined();
  });
});
