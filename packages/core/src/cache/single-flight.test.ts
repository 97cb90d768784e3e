import { describe, expect, it, vi } from 'vitest';
import { deferred } from '../../test/deferred.ts';
import { SingleFlight } from './single-flight.js';

describe('SingleFlight', () => {
  it('shares one call among concurrent callers of a key', async () => {
    const flight = new SingleFlight<string, number>();
    const gate = deferred<number>();
    const fn = vi.fn(() => gate.promise);
    const calls = Array.from({ length: 10 }, () => flight.run('k', fn));
    expect(fn).toHaveBeenCalledTimes(1);
    gate.resolve(42);
    expect(await Promise.all(calls)).toEqual(Array(10).fill(42));
  });

  it('keeps keys apart', async () => {
    const flight = new SingleFlight<string, string>();
    const fn = vi.fn(async () => 'v');
    await Promise.all([flight.run('a', fn), flight.run('b', fn), flight.run('a', fn)]);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('releases the key after success, so the next run calls again', async () => {
    const flight = new SingleFlight<string, number>();
    let count = 0;
    const fn = async (): Promise<number> => ++count;
    expect(await flight.run('k', fn)).toBe(1);
    expect(await flight.run('k', fn)).toBe(2);
  });

  it('releases the key after failure and gives every caller the error', async () => {
    const flight = new SingleFlight<string, number>();
    const gate = deferred<number>();
    const failing = vi.fn(() => gate.promise);
    const first = flight.run('k', failing);
    const second = flight.run('k', failing);
    gate.reject(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await expect(second).rejects.toThrow('boom');
    expect(failing).toHaveBeenCalledTimes(1);
    expect(await flight.run('k', async () => 7)).toBe(7);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const flight = new SingleFlight<string, number>();
    const fn = (): Promise<number> => {
      throw new Error('sync');
    };
    await expect(flight.run('k', fn)).rejects.toThrow('sync');
    expect(await flight.run('k', async () => 1)).toBe(1);
  });

  it('forget lets a new call start while the old one finishes for its callers', async () => {
    const flight = new SingleFlight<string, string>();
    const old = deferred<string>();
    const oldCall = flight.run('k', () => old.promise);
    flight.forget('k');
    const fresh = deferred<string>();
    const freshCall = flight.run('k', () => fresh.promise);
    old.resolve('old');
    expect(await oldCall).toBe('old');
    // The old call settling must not release the fresh one.
    const joined = flight.run('k', async () => 'third');
    fresh.resolve('fresh');
    expect(await freshCall).toBe('fresh');
    expect(await joined).toBe('fresh');
  });
});
