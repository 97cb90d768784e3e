import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';

describe('encodeBase64 / decodeBase64', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('follows the RFC 4648 test vector %j', (text, encoded) => {
    const bytes = new TextEncoder().encode(text);
    expect(encodeBase64(bytes)).toBe(encoded);
    expect(new TextDecoder().decode(decodeBase64(encoded))).toBe(text);
  });

  it('matches Buffer for every length up to 70 and for all byte values', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const expected = Buffer.from(bytes).toString('base64');
      expect(encodeBase64(bytes)).toBe(expected);
      expect(decodeBase64(expected)).toEqual(bytes);
    }
    const all = Uint8Array.from({ length: 256 }, (_, index) => index);
    const expected = Buffer.from(all).toString('base64');
    expect(encodeBase64(all)).toBe(expected);
    expect(decodeBase64(expected)).toEqual(all);
  });

  it('encodes a subarray view, not its whole buffer', () => {
    const view = new Uint8Array([0, 1, 2, 3, 4, 5]).subarray(2, 5);
    expect(encodeBase64(view)).toBe(Buffer.from([2, 3, 4]).toString('base64'));
  });

  it('round-trips 1 MB', () => {
    const bytes = new Uint8Array(randomBytes(1024 * 1024));
    const encoded = encodeBase64(bytes);
    expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
    // Buffer.equals: toEqual on a megabyte of elements is needlessly slow.
    expect(Buffer.from(decodeBase64(encoded)).equals(bytes)).toBe(true);
  });

  it.each([
    ['Zm9', /length 3 is not a multiple of 4/],
    ['Zm9vY', /length 5 is not a multiple of 4/],
    ['Zm9v Yg=', /position 4 is not in the base64 alphabet/],
    ['Zm9vYg=\n', /padding '=' at position 6 is not at the end/],
    ['Zm9vYgo\n', /position 7 is not in the base64 alphabet/],
    ['Zm-_', /position 2 is not in the base64 alphabet/],
    ['Zm9é', /position 3 is not in the base64 alphabet/],
    ['Z=9v', /padding '=' at position 1 is not at the end/],
    ['Zg=a', /padding '=' at position 2 is not at the end/],
    ['Z===', /padding '=' at position 1 is not at the end/],
    ['====', /padding '=' at position 0 is not at the end/],
    ['Zh==', /non-canonical/],
    ['Zm9=', /non-canonical/],
  ])('rejects %j', (input, message) => {
    expect(() => decodeBase64(input)).toThrow(RangeError);
    expect(() => decodeBase64(input)).toThrow(message);
  });

  it('never repeats the input in its errors', () => {
    const input = 'c2VjcmV0LXZhbHVl!';
    for (const candidate of [input, `${input}AAA`]) {
      try {
        decodeBase64(candidate);
        expect.unreachable();
      } catch (error) {
        expect(String(error)).not.toContain('c2VjcmV0');
      }
    }
  });
});
