import { describe, expect, it } from 'vitest';
import { maskSecret } from './mask.js';

describe('maskSecret', () => {
  it('shows the length and, from 8 characters on, the last two', () => {
    expect(maskSecret('demo-api-token-0003')).toBe('…03 (19 characters)');
    expect(maskSecret('12345678')).toBe('…78 (8 characters)');
    expect(maskSecret('1234567')).toBe('… (7 characters)');
    expect(maskSecret('x')).toBe('… (1 character)');
    expect(maskSecret('')).toBe('… (0 characters)');
  });
});
