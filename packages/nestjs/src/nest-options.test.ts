import { describe, expect, it } from 'vitest';
import { moduleLoadOptions } from './nest-options.ts';

describe('moduleLoadOptions', () => {
  it('defaults refreshInterval to the cache TTL, resolved as core resolves it', () => {
    expect(moduleLoadOptions({ env: {} }).refreshInterval).toBe(300);
    expect(moduleLoadOptions({ env: { INFISICAL_CACHE_TTL: ' 30 ' } }).refreshInterval).toBe(30);
    expect(
      moduleLoadOptions({ cacheTtl: 5, env: { INFISICAL_CACHE_TTL: '30' } }).refreshInterval,
    ).toBe(5);
    expect(moduleLoadOptions({ cacheTtl: 5, refreshInterval: 60 }).refreshInterval).toBe(60);
  });

  it('turns the refresh off when caching is off or the TTL is unusable (core reports the latter)', () => {
    expect(moduleLoadOptions({ cacheTtl: 0 }).refreshInterval).toBe(0);
    expect(moduleLoadOptions({ env: { INFISICAL_CACHE_TTL: 'soon' } }).refreshInterval).toBe(0);
  });

  it('keeps the given onError, else adds one', () => {
    const onError = () => {};
    expect(moduleLoadOptions({ onError }).onError).toBe(onError);
    expect(moduleLoadOptions({}).onError).toBeTypeOf('function');
  });
});
