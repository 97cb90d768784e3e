import { describe, expect, it } from 'vitest';
import {
  decodedStartsWith,
  decodeEscape,
  decodeEscapes,
  ESCAPE_ENTITY,
  ESCAPE_PERCENT,
  ESCAPE_SLASH,
  ESCAPE_UNICODE,
  escapeKind,
} from './decode.js';

describe('decodeEscapes', () => {
  it('reads JS and JSON escapes of any character, in either letter case', () => {
    expect(decodeEscapes('a\\u003cb\\u003Cc\\x3cd\\X3ce')).toBe('a<b<c<d\\X3ce');
    expect(decodeEscapes('\\u{1F600}|\\u{41}|\\u{110000}')).toBe('😀|A|\\u{110000}');
    expect(decodeEscapes('\\ud83d\\ude00')).toBe('😀');
    expect(decodeEscapes('<\\/script> https:\\/\\/x')).toBe('</script> https://x');
    expect(decodeEscapes('a\\u2028b\\u2029c')).toBe('a\u2028b\u2029c');
  });

  it('reads HTML character references: the five XML names, decimal and hex', () => {
    expect(decodeEscapes('&amp;&lt;&gt;&quot;&apos;&#39;&#x27;&#X27;&#128512;')).toBe(`&<>"''''😀`);
    expect(decodeEscapes('&ampx &#; &#x; &#39 &nbsp; &AMP;')).toBe(
      '&ampx &#; &#x; &#39 &nbsp; &AMP;',
    );
  });

  it('reads percent-encoding, UTF-8 sequences included, and leaves broken sequences', () => {
    expect(decodeEscapes('%2F%2b%20%C3%A9%E2%82%AC%F0%9F%98%80')).toBe('/+ é€😀');
    expect(decodeEscapes('100% %zz %C3 %C3%41 %C0%AF %ED%A0%80 %F5%80%80%80')).toBe(
      '100% %zz %C3 %C3A %C0%AF %ED%A0%80 %F5%80%80%80',
    );
  });

  it('does not decode what it produced (one pass) and returns the same string when nothing is escaped', () => {
    expect(decodeEscapes('&amp;lt; %2541 \\\\u0041')).toBe('&lt; %41 \\A');
    const plain = 'no escapes here & 100% sure \\ ok';
    expect(decodeEscapes(plain)).toBe(plain);
  });
});

describe('decodeEscape', () => {
  it('never reads past the end it is given', () => {
    expect(decodeEscape('\\u0041', 0, 5)).toBe(-1);
    expect(decodeEscape('\\u0041', 0, 6)).toBe(0x41 * 16 + 6);
    expect(decodeEscape('&amp;', 0, 4)).toBe(-1);
    expect(decodeEscape('%41', 0, 2)).toBe(-1);
    expect(decodeEscape('\\', 0, 1)).toBe(-1);
  });

  it('tells the kind of an escape', () => {
    expect(escapeKind('\\u0041', 0)).toBe(ESCAPE_UNICODE);
    expect(escapeKind('\\/', 0)).toBe(ESCAPE_SLASH);
    expect(escapeKind('&amp;', 0)).toBe(ESCAPE_ENTITY);
    expect(escapeKind('%41', 0)).toBe(ESCAPE_PERCENT);
  });
});

describe('decodedStartsWith', () => {
  it('compares decoded text from an offset and returns where the match ends', () => {
    const text = 'xx a\\u003cb&amp;c%20d yy';
    expect(decodedStartsWith(text, 3, text.length, 'a<b&c d', 0)).toBe(21);
    expect(decodedStartsWith(text, 3, text.length, 'a<b&c d', 2)).toBe(-1);
    expect(decodedStartsWith(text, 3, text.length, 'za<b', 1)).toBe(11);
    expect(decodedStartsWith(text, 4, text.length, 'a<b', 0)).toBe(-1);
    expect(decodedStartsWith(text, 3, 10, 'a<b', 0)).toBe(-1);
    expect(decodedStartsWith('\\u{1F600}!', 0, 10, '😀!', 0)).toBe(10);
  });
});
