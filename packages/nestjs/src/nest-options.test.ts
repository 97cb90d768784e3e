import { describe, expect, it } from 'vitest';
import { moduleLoadOptions } from './nest-options.ts';

describe('moduleLoadOptions', () => {
  it('defaults refreshInterval to the cache TTL (core resolves true to cacheTtl)', () => {
    expect(moduleLoadOptions({ env: {} }).refreshInterval).toBe(true);
    expect(moduleLoadOptions({ cacheTtl: 5, refreshInterval: 60 }).refreshInterval).toBe(60);
    expect(moduleLoadOptions({ refreshInterval: 0 }).refreshInterval).toBe(0);
  });

  it('keeps the given onError, else adds one', () => {
    const onError = () => {};
    expect(moduleLoadOptions({ onError }).onError).toBe(onError);
    expect(moduleLoadOptions({}).onError).toBeTypeOf('function');
  });
});
