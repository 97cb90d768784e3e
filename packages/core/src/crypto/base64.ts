/**
 * Strict standard base64 (RFC 4648 §4, with padding) for `Uint8Array`. It runs on every runtime;
 * where `node:buffer` is reachable (Node, Bun, Deno) the byte conversion is native, after the
 * same strict checks.
 *
 * @module
 */

interface NativeBuffer {
  from(
    data: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ): { toString(encoding: 'base64'): string };
  from(data: string, encoding: 'base64'): Uint8Array;
}

let native: NativeBuffer | null | undefined;

/** `Buffer` from `node:buffer` without a static import, or null where there is none. */
function nativeBuffer(): NativeBuffer | null {
  if (native === undefined) {
    const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process;
    native =
      (process?.getBuiltinModule?.('node:buffer') as { Buffer?: NativeBuffer } | undefined)
        ?.Buffer ?? null;
  }
  return native;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='

/** Maps a character code to its 6-bit value, or -1 when it is not in the alphabet. */
const DECODE_TABLE: Int8Array = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1);
  for (let index = 0; index < ALPHABET.length; index++) table[ALPHABET.charCodeAt(index)] = index;
  return table;
})();

/** Character codes of the alphabet, for writing output bytes directly. */
const ENCODE_TABLE: Uint8Array = /* @__PURE__ */ new TextEncoder().encode(ALPHABET);

/** Encodes bytes as standard base64 with `=` padding. */
export function encodeBase64(bytes: Uint8Array): string {
  const buffer = nativeBuffer();
  if (buffer) return buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let at = 0;
  for (let index = 0; index < whole; index += 3) {
    const triple =
      ((bytes[index] as number) << 16) |
      ((bytes[index + 1] as number) << 8) |
      (bytes[index + 2] as number);
    out[at++] = ENCODE_TABLE[triple >>> 18] as number;
    out[at++] = ENCODE_TABLE[(triple >>> 12) & 63] as number;
    out[at++] = ENCODE_TABLE[(triple >>> 6) & 63] as number;
    out[at++] = ENCODE_TABLE[triple & 63] as number;
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const first = bytes[whole] as number;
    const second = rest === 2 ? (bytes[whole + 1] as number) : 0;
    out[at++] = ENCODE_TABLE[first >>> 2] as number;
    out[at++] = ENCODE_TABLE[((first & 3) << 4) | (second >>> 4)] as number;
    out[at++] = rest === 2 ? (ENCODE_TABLE[(second & 15) << 2] as number) : PAD;
    out[at] = PAD;
  }
  return new TextDecoder().decode(out);
}

/**
 * Decodes strict standard base64: only the `A–Z a–z 0–9 + /` alphabet, no whitespace, length a
 * multiple of 4, at most two `=` and only at the end, unused trailing bits zero.
 *
 * @throws RangeError naming what is wrong (never the input itself).
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const NativeBuffer = nativeBuffer();
  // Node's decoder skips what it does not know and accepts `-`/`_`: rule those out, and a skipped
  // or early-stopping character shows as a shorter result than a strict input decodes to.
  if (NativeBuffer && text.length % 4 === 0 && !text.includes('-') && !text.includes('_')) {
    const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    const bytes = NativeBuffer.from(text, 'base64');
    if (bytes.length === (text.length / 4) * 3 - padding && canonicalTail(text)) {
      return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length);
    }
  }
  // The portable decoder, which also names what is wrong with a malformed input.
  if (text.length % 4 !== 0) {
    throw new RangeError(`length ${text.length} is not a multiple of 4`);
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  const dataLength = text.length - padding;
  let byteIndex = 0;
  let buffer = 0;
  let bits = 0;
  for (let index = 0; index < dataLength; index++) {
    const code = text.charCodeAt(index);
    const value = code < 128 ? (DECODE_TABLE[code] as number) : -1;
    if (value === -1) {
      throw new RangeError(
        code === PAD
          ? `padding '=' at position ${index} is not at the end`
          : `character at position ${index} is not in the base64 alphabet`,
      );
    }
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[byteIndex++] = (buffer >>> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    throw new RangeError('the bits before the padding are not zero (non-canonical encoding)');
  }
  return bytes;
}

/** Whether the bits a padded tail leaves unused are zero (a canonical encoding). */
function canonicalTail(text: string): boolean {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (padding === 0) return true;
  const last = DECODE_TABLE[text.charCodeAt(text.length - padding - 1)] as number;
  return (last & (padding === 2 ? 15 : 3)) === 0;
}
