import { describe, expect, it } from 'vitest';
import { jitteredInterval } from './folder-cache.js';

describe('jitteredInterval', () => {
  it('spreads each refresh tick between 0.8 and 1.2 times the interval', () => {
    expect(jitteredInterval(60_000, () => 0)).toBe(48_000);
    expect(jitteredInterval(60_000, () => 0.5)).toBe(60_000);
    expect(jitteredInterval(60_000, () => 0.999_999)).toBe(72_000);
    const ticks = Array.from({ length: 200 }, () => jitteredInterval(1000));
    expect(Math.min(...ticks)).toBeGreaterThanOrEqual(800);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(1200);
    expect(new Set(ticks).size).toBeGreaterThan(20);
  });
});
