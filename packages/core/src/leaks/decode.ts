/**
 * The escape sequences the leak scanner reads through, so that one search finds a value however a
 * serialiser chose to escape its characters: `\u003c`, `\u003C`, `\x3c`, `\u{1F600}`, `\/`, HTML
 * character references (`&amp;`, `&#39;`, `&#x27;`, `&quot;`…) and percent-encoding (`%2F`,
 * `%C3%A9`). Each sequence is recognised on its own, left to right, without context: text and
 * search patterns are decoded the same way, so what matches is what the bytes mean.
 *
 * @module
 */

const BACKSLASH = 0x5c;
const AMPERSAND = 0x26;
const PERCENT = 0x25;
const SLASH = 0x2f;
const HASH = 0x23;
const SEMICOLON = 0x3b;
const LOWER_U = 0x75;
const LOWER_X = 0x78;
const UPPER_X = 0x58;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MAX_CODE_POINT = 0x10ffff;

/** Kinds of escape, as bit flags (see {@link escapeKind}). */
export const ESCAPE_UNICODE = 1;
/** `\/`, the JSON and JS escape of a slash (`<\/script>`). */
export const ESCAPE_SLASH = 2;
/** An HTML character reference. */
export const ESCAPE_ENTITY = 4;
/** Percent-encoding. */
export const ESCAPE_PERCENT = 8;

const NAMED_ENTITIES: ReadonlyArray<readonly [string, number]> = [
  ['amp;', 0x26],
  ['lt;', 0x3c],
  ['gt;', 0x3e],
  ['quot;', 0x22],
  ['apos;', 0x27],
];

/** The value of one hex digit, or -1. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** The value of exactly `count` hex digits at `at`, or -1. */
function fixedHex(text: string, at: number, count: number, end: number): number {
  if (at + count > end) return -1;
  let value = 0;
  for (let index = at; index < at + count; index++) {
    const digit = hexDigit(text.charCodeAt(index));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * Reads 1 to 8 digits (hex or decimal) at `at` followed by `terminator`: returns the code point
 * times 16 plus the number of characters read (digits and terminator), or -1.
 */
function digitsThen(
  text: string,
  at: number,
  end: number,
  hex: boolean,
  terminator: number,
): number {
  let value = 0;
  let index = at;
  for (; index < end && index < at + 8; index++) {
    const code = text.charCodeAt(index);
    const digit = hex ? hexDigit(code) : code >= 0x30 && code <= 0x39 ? code - 0x30 : -1;
    if (digit < 0) break;
    value = value * (hex ? 16 : 10) + digit;
  }
  if (index === at || index >= end || text.charCodeAt(index) !== terminator) return -1;
  if (value > MAX_CODE_POINT) return -1;
  return value * 16 + (index - at + 1);
}

/** `\/`, `\xHH`, `\uHHHH` or `\u{H…}` at `at`. */
function backslashEscape(text: string, at: number, end: number): number {
  const next = text.charCodeAt(at + 1);
  if (next === SLASH) return SLASH * 16 + 2;
  if (next === LOWER_X) {
    const value = fixedHex(text, at + 2, 2, end);
    return value < 0 ? -1 : value * 16 + 4;
  }
  if (next !== LOWER_U) return -1;
  if (text.charCodeAt(at + 2) === OPEN_BRACE) {
    const read = digitsThen(text, at + 3, end, true, CLOSE_BRACE);
    return read < 0 ? -1 : read + 3;
  }
  const value = fixedHex(text, at + 2, 4, end);
  return value < 0 ? -1 : value * 16 + 6;
}

/** `&#D…;`, `&#xH…;` or one of the five XML entities at `at`. */
function entityEscape(text: string, at: number, end: number): number {
  if (text.charCodeAt(at + 1) === HASH) {
    const marker = text.charCodeAt(at + 2);
    if (marker === LOWER_X || marker === UPPER_X) {
      const read = digitsThen(text, at + 3, end, true, SEMICOLON);
      return read < 0 ? -1 : read + 3;
    }
    const read = digitsThen(text, at + 2, end, false, SEMICOLON);
    return read < 0 ? -1 : read + 2;
  }
  for (const [name, code] of NAMED_ENTITIES) {
    if (text.charCodeAt(at + 1) !== name.charCodeAt(0)) continue;
    if (text.startsWith(name, at + 1) && at + 1 + name.length <= end) {
      return code * 16 + name.length + 1;
    }
  }
  return -1;
}

/** `%HH`, or the `%HH` sequence of one UTF-8 encoded code point, at `at`. */
function percentEscape(text: string, at: number, end: number): number {
  const lead = fixedHex(text, at + 1, 2, end);
  if (lead < 0) return -1;
  if (lead < 0x80) return lead * 16 + 3;
  const count = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : 4;
  if (lead > 0xf4 || (count === 4 && lead < 0xf0)) return -1;
  let value = lead & (count === 2 ? 0x1f : count === 3 ? 0x0f : 0x07);
  for (let byte = 1; byte < count; byte++) {
    const at3 = at + byte * 3;
    if (text.charCodeAt(at3) !== PERCENT) return -1;
    const continuation = fixedHex(text, at3 + 1, 2, end);
    if (continuation < 0x80 || continuation > 0xbf) return -1;
    value = (value << 6) | (continuation & 0x3f);
  }
  const overlong = (count === 3 && value < 0x800) || (count === 4 && value < 0x10000);
  if (overlong || (value >= 0xd800 && value <= 0xdfff) || value > MAX_CODE_POINT) return -1;
  return value * 16 + count * 3;
}

/**
 * The escape sequence that starts at `at` (its first character is `\`, `&` or `%`), read no
 * further than `end`: the code point it stands for times 16, plus its length (at most 12); or -1
 * when the characters there are not an escape sequence.
 */
export function decodeEscape(text: string, at: number, end: number): number {
  if (at + 1 >= end) return -1;
  const first = text.charCodeAt(at);
  if (first === BACKSLASH) return backslashEscape(text, at, end);
  if (first === AMPERSAND) return entityEscape(text, at, end);
  if (first === PERCENT) return percentEscape(text, at, end);
  return -1;
}

/** Whether a character may start an escape sequence (a cheap test before {@link decodeEscape}). */
export function mayStartEscape(code: number): boolean {
  return code === BACKSLASH || code === AMPERSAND || code === PERCENT;
}

/** The kind of the escape sequence starting at `at` (one of the `ESCAPE_*` flags). */
export function escapeKind(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === AMPERSAND) return ESCAPE_ENTITY;
  if (first === PERCENT) return ESCAPE_PERCENT;
  return text.charCodeAt(at + 1) === SLASH ? ESCAPE_SLASH : ESCAPE_UNICODE;
}

/** `text` with every escape sequence replaced by what it stands for. */
export function decodeEscapes(text: string): string {
  let out = '';
  let copied = 0;
  for (let index = 0; index < text.length; index++) {
    if (!mayStartEscape(text.charCodeAt(index))) continue;
    const packed = decodeEscape(text, index, text.length);
    if (packed < 0) continue;
    out += text.slice(copied, index) + String.fromCodePoint(packed >>> 4);
    index += (packed & 15) - 1;
    copied = index + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Reads from `at` onwards through escape sequences and tells whether the decoded text continues
 * with `expected` (from its index `from`): the offset just after it, or -1.
 */
export function decodedStartsWith(
  text: string,
  at: number,
  end: number,
  expected: string,
  from: number,
): number {
  let index = at;
  let want = from;
  while (want < expected.length) {
    if (index >= end) return -1;
    let code = text.charCodeAt(index);
    let length = 1;
    if (mayStartEscape(code)) {
      const packed = decodeEscape(text, index, end);
      if (packed >= 0) {
        code = packed >>> 4;
        length = packed & 15;
      }
    }
    const units = String.fromCodePoint(code);
    if (!expected.startsWith(units, want)) return -1;
    want += units.length;
    index += length;
  }
  return index;
}
