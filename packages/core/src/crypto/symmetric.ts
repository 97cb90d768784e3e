/**
 * AES-256-GCM symmetric encryption, byte-compatible with the `createSymmetricKey`,
 * `encryptSymmetric` and `decryptSymmetric` of Infisical's older SDKs: 32-byte key, 12-byte IV,
 * 16-byte tag, UTF-8 plaintext, each part as a separate standard base64 string.
 *
 * Uses `node:crypto` when the runtime offers it through `process.getBuiltinModule`, and Web
 * Crypto everywhere else.
 *
 * @module
 */

import { InfisicalError, isInfisicalError } from '../errors/infisical-error.js';
import { decodeBase64, encodeBase64 } from './base64.js';

/** The encrypted form of a string: three standard base64 strings. */
export interface SymmetricCiphertext {
  /** The encrypted UTF-8 bytes, without the tag. */
  ciphertext: string;
  /** The 12-byte initialisation vector. */
  iv: string;
  /** The 16-byte GCM authentication tag. */
  tag: string;
}

/** The part of `node:crypto` this module uses; structural, so core needs no Node types. */
export interface NodeCryptoLike {
  /** `node:crypto` `createCipheriv`. */
  createCipheriv(
    algorithm: 'aes-256-gcm',
    key: Uint8Array,
    iv: Uint8Array,
  ): {
    update(data: Uint8Array): Uint8Array;
    final(): Uint8Array;
    getAuthTag(): Uint8Array;
  };
  /** `node:crypto` `createDecipheriv`. */
  createDecipheriv(
    algorithm: 'aes-256-gcm',
    key: Uint8Array,
    iv: Uint8Array,
  ): {
    setAuthTag(tag: Uint8Array): unknown;
    update(data: Uint8Array): Uint8Array;
    final(): Uint8Array;
  };
}

/** Choice of backend for {@link createSymmetricCrypto}. */
export interface SymmetricCryptoOptions {
  /** `node:crypto`, or `undefined` to use Web Crypto (`globalThis.crypto.subtle`). */
  nodeCrypto: NodeCryptoLike | undefined;
}

/** Encrypt and decrypt bound to one backend. */
export interface SymmetricCrypto {
  /** See {@link encryptSymmetric}. */
  encrypt(plaintext: string, key: string): Promise<SymmetricCiphertext>;
  /** See {@link decryptSymmetric}. */
  decrypt(input: SymmetricCiphertext, key: string): Promise<string>;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CREATE_KEY_FIX = 'create one with createSymmetricKey()';
const KEEP_PARTS_FIX = 'pass ciphertext, iv and tag exactly as encryptSymmetric() returned them';

/** Creates a random 256-bit key as standard base64 with padding (44 characters). */
export function createSymmetricKey(): string {
  return encodeBase64(randomBytes(KEY_BYTES));
}

/**
 * Encrypts a string with AES-256-GCM and a fresh random 12-byte IV.
 *
 * @param plaintext - encoded as UTF-8.
 * @param key - a 32-byte key in standard base64, as made by {@link createSymmetricKey}.
 * @throws InfisicalError `CRYPTO_ERROR` when the key is not 32 bytes of valid base64.
 */
export function encryptSymmetric(plaintext: string, key: string): Promise<SymmetricCiphertext> {
  return defaultCrypto().encrypt(plaintext, key);
}

/**
 * Decrypts what {@link encryptSymmetric} (or an older Infisical SDK) produced.
 *
 * @throws InfisicalError `CRYPTO_ERROR` on a bad key, IV or tag, when authentication fails
 * (tampered data or wrong key), or when the plaintext is not valid UTF-8.
 */
export function decryptSymmetric(input: SymmetricCiphertext, key: string): Promise<string> {
  return defaultCrypto().decrypt(input, key);
}

/**
 * Builds encrypt/decrypt on an explicit backend. The public functions use `node:crypto` when
 * available; pass `{ nodeCrypto: undefined }` to force Web Crypto (tests, edge parity).
 */
export function createSymmetricCrypto(options: SymmetricCryptoOptions): SymmetricCrypto {
  const backend = options.nodeCrypto ? nodeBackend(options.nodeCrypto) : webBackend;
  // No async frames: with node:crypto the work is synchronous, and the result one resolved promise.
  return {
    encrypt(plaintext, key) {
      try {
        if (typeof plaintext !== 'string') {
          throw cryptoError('The plaintext must be a string. Fix: pass the value as a string.');
        }
        const keyBytes = decodeKey(key);
        const iv = freshIv();
        const seal = (sealed: Sealed): SymmetricCiphertext => ({
          ciphertext: encodeBase64(sealed.ciphertext),
          iv: encodeBase64(iv),
          tag: encodeBase64(sealed.tag),
        });
        const sealed = backend.seal(keyBytes, iv, UTF8_ENCODER.encode(plaintext));
        return sealed instanceof Promise ? sealed.then(seal) : Promise.resolve(seal(sealed));
      } catch (error) {
        return Promise.reject(error);
      }
    },

    decrypt(input, key) {
      try {
        const keyBytes = decodeKey(key);
        const fields: Partial<SymmetricCiphertext> =
          typeof input === 'object' && input !== null ? input : {};
        const iv = decodePart(fields.iv, 'iv', IV_BYTES);
        const tag = decodePart(fields.tag, 'tag', TAG_BYTES);
        const ciphertext = decodePart(fields.ciphertext, 'ciphertext', undefined);
        let opened: Uint8Array | Promise<Uint8Array>;
        try {
          opened = backend.open(keyBytes, iv, ciphertext, tag);
        } catch (cause) {
          throw openError(cause);
        }
        return opened instanceof Promise
          ? opened.then(utf8, (cause: unknown) => {
              throw openError(cause);
            })
          : Promise.resolve(utf8(opened));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

/** The error of a failed authentication (tampered data or wrong key). */
function openError(cause: unknown): InfisicalError {
  if (isInfisicalError(cause)) return cause;
  return cryptoError(
    'Decryption failed: the authentication tag does not match, so the data was tampered ' +
      `with or the key is wrong. Fix: use the key it was encrypted with and ${KEEP_PARTS_FIX}.`,
    cause,
  );
}

/** Decrypted bytes as text, refusing invalid UTF-8. */
function utf8(data: Uint8Array): string {
  try {
    return UTF8_DECODER.decode(data);
  } catch (cause) {
    throw cryptoError(
      'The decrypted plaintext is not valid UTF-8. Fix: decrypt only values that ' +
        'encryptSymmetric() encrypted from a string.',
      cause,
    );
  }
}

const UTF8_ENCODER = /* @__PURE__ */ new TextEncoder();
const UTF8_DECODER = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What `seal` gives: the ciphertext, and the tag apart. */
interface Sealed {
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

/** AES-256-GCM on raw bytes; `seal` returns the tag apart from the ciphertext. */
interface GcmBackend {
  seal(
    key: Uint8Array<ArrayBuffer>,
    iv: Uint8Array<ArrayBuffer>,
    data: Uint8Array<ArrayBuffer>,
  ): Sealed | Promise<Sealed>;
  open(
    key: Uint8Array<ArrayBuffer>,
    iv: Uint8Array<ArrayBuffer>,
    ciphertext: Uint8Array,
    tag: Uint8Array,
  ): Uint8Array | Promise<Uint8Array>;
}

let defaultInstance: SymmetricCrypto | undefined;

function defaultCrypto(): SymmetricCrypto {
  defaultInstance ??= createSymmetricCrypto({ nodeCrypto: loadNodeCrypto() });
  return defaultInstance;
}

/** `node:crypto` without a static import, so bundles for edge runtimes never reference it. */
function loadNodeCrypto(): NodeCryptoLike | undefined {
  try {
    return globalThis.process?.getBuiltinModule?.('node:crypto');
  } catch {
    return undefined;
  }
}

function nodeBackend(nodeCrypto: NodeCryptoLike): GcmBackend {
  return {
    seal(key, iv, data) {
      const cipher = nodeCrypto.createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = concat(cipher.update(data), cipher.final());
      return { ciphertext, tag: cipher.getAuthTag() };
    },
    open(key, iv, ciphertext, tag) {
      const decipher = nodeCrypto.createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return concat(decipher.update(ciphertext), decipher.final());
    },
  };
}

/** Web Crypto appends the tag to the ciphertext: split it off, and join it back to decrypt. */
const webBackend: GcmBackend = {
  async seal(key, iv, data) {
    const subtle = webSubtle();
    const cryptoKey = await subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
    const sealed = new Uint8Array(
      await subtle.encrypt({ name: 'AES-GCM', iv, tagLength: TAG_BYTES * 8 }, cryptoKey, data),
    );
    const split = sealed.length - TAG_BYTES;
    return { ciphertext: sealed.subarray(0, split), tag: sealed.subarray(split) };
  },
  async open(key, iv, ciphertext, tag) {
    const subtle = webSubtle();
    const cryptoKey = await subtle.importKey('raw', key, 'AES-GCM', false, ['decrypt']);
    const plain = await subtle.decrypt(
      { name: 'AES-GCM', iv, tagLength: TAG_BYTES * 8 },
      cryptoKey,
      concat(ciphertext, tag),
    );
    return new Uint8Array(plain);
  },
};

function webSubtle(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) {
    throw cryptoError(
      'Web Crypto (crypto.subtle) is not available in this runtime. Fix: run on Node 20+, Bun, ' +
        'Deno or an edge runtime, or serve the page over HTTPS.',
    );
  }
  return subtle;
}

/** IVs come from a pool of random bytes: one `getRandomValues` call per 340 IVs, not per IV. */
const IV_POOL_BYTES = IV_BYTES * 340;
let ivPool: Uint8Array<ArrayBuffer> = new Uint8Array(0);
let ivOffset = 0;

/** A fresh random 12-byte IV (a copy: the pool is never handed out). */
function freshIv(): Uint8Array<ArrayBuffer> {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivOffset = 0;
  }
  const iv = ivPool.slice(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** The last key decoded (keys are reused call after call; decoding is strict, so not free). */
let lastKey: { text: string; bytes: Uint8Array<ArrayBuffer> } | undefined;

function decodeKey(key: unknown): Uint8Array<ArrayBuffer> {
  if (lastKey !== undefined && lastKey.text === key) return lastKey.bytes;
  const bytes = decodeKeyStrict(key);
  lastKey = { text: key as string, bytes };
  return bytes;
}

function decodeKeyStrict(key: unknown): Uint8Array<ArrayBuffer> {
  if (typeof key !== 'string') {
    throw cryptoError(`The key must be a base64 string. Fix: ${CREATE_KEY_FIX}.`);
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = decodeBase64(key);
  } catch (cause) {
    throw cryptoError(
      `The key is not valid standard base64 (${reason(cause)}). Fix: pass the 44-character ` +
        `key from createSymmetricKey() unchanged, or ${CREATE_KEY_FIX}.`,
      cause,
    );
  }
  if (bytes.length !== KEY_BYTES) {
    throw cryptoError(
      `The key must be ${KEY_BYTES} bytes for AES-256-GCM, got ${bytes.length} bytes. ` +
        `Fix: ${CREATE_KEY_FIX}.`,
    );
  }
  return bytes;
}

function decodePart(
  value: unknown,
  name: keyof SymmetricCiphertext,
  expectedBytes: number | undefined,
): Uint8Array<ArrayBuffer> {
  if (typeof value !== 'string') {
    throw cryptoError(`The ${name} must be a base64 string. Fix: ${KEEP_PARTS_FIX}.`);
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = decodeBase64(value);
  } catch (cause) {
    throw cryptoError(
      `The ${name} is not valid standard base64 (${reason(cause)}). Fix: ${KEEP_PARTS_FIX}.`,
      cause,
    );
  }
  if (expectedBytes !== undefined && bytes.length !== expectedBytes) {
    throw cryptoError(
      `The ${name} must be ${expectedBytes} bytes, got ${bytes.length} bytes. Fix: ${KEEP_PARTS_FIX}.`,
    );
  }
  return bytes;
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array<ArrayBuffer> {
  // GCM's final() is empty: skip the copy.
  if (second.length === 0) return first as Uint8Array<ArrayBuffer>;
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : 'unreadable value';
}

function cryptoError(message: string, cause?: unknown): InfisicalError {
  return new InfisicalError('CRYPTO_ERROR', message, { cause });
}
