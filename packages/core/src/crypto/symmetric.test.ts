import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InfisicalError } from '../errors/infisical-error.js';
import {
  createSymmetricCrypto,
  createSymmetricKey,
  decryptSymmetric,
  encryptSymmetric,
  type SymmetricCiphertext,
  type SymmetricCrypto,
} from './symmetric.js';

const PLAINTEXT = 'postgres://app:s3cr3t-P4ssw0rd@db:5432/prod';

/** The legacy `infisical-node` 1.4.2 implementation, verbatim in behaviour. */
function legacyEncrypt(plaintext: string, key: string): SymmetricCiphertext {
  const iv = nodeCrypto.randomBytes(12);
  const secretKey = nodeCrypto.createSecretKey(key, 'base64');
  const cipher = nodeCrypto.createCipheriv('aes-256-gcm', secretKey, iv);
  let ciphertext = cipher.update(plaintext, 'utf8', 'base64');
  ciphertext += cipher.final('base64');
  return { ciphertext, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

function legacyDecrypt({ ciphertext, iv, tag }: SymmetricCiphertext, key: string): string {
  const secretKey = nodeCrypto.createSecretKey(key, 'base64');
  const decipher = nodeCrypto.createDecipheriv('aes-256-gcm', secretKey, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  let plaintext = decipher.update(ciphertext, 'base64', 'utf8');
  plaintext += decipher.final('utf8');
  return plaintext;
}

const backends: Array<[string, SymmetricCrypto]> = [
  ['public functions', { encrypt: encryptSymmetric, decrypt: decryptSymmetric }],
  ['node:crypto backend', createSymmetricCrypto({ nodeCrypto })],
  ['Web Crypto backend', createSymmetricCrypto({ nodeCrypto: undefined })],
];

async function cryptoErrorOf(promise: Promise<unknown>): Promise<InfisicalError> {
  const error = await promise.then(
    () => expect.unreachable('expected a CRYPTO_ERROR'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InfisicalError);
  expect((error as InfisicalError).code).toBe('CRYPTO_ERROR');
  return error as InfisicalError;
}

function expectNothingLeaks(error: InfisicalError, ...values: string[]): void {
  const shown = [error.message, JSON.stringify(error), inspect(error, { depth: 10 })];
  for (const value of values) {
    for (const text of shown) expect(text).not.toContain(value);
  }
}

describe('createSymmetricKey', () => {
  it('makes 32 random bytes as padded standard base64', () => {
    const key = createSymmetricKey();
    expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(createSymmetricKey()).not.toBe(key);
  });

  it('is accepted by node:crypto as an AES-256 key', () => {
    expect(nodeCrypto.createSecretKey(createSymmetricKey(), 'base64').symmetricKeySize).toBe(32);
  });
});

describe.each(backends)('%s', (_name, symmetric) => {
  it.each([
    ['empty string', ''],
    ['ASCII', PLAINTEXT],
    ['unicode', 'héllo wörld — 秘密 🔐 \u0000 end'],
  ])('round-trips %s', async (_label, plaintext) => {
    const key = createSymmetricKey();
    const encrypted = await symmetric.encrypt(plaintext, key);
    expect(await symmetric.decrypt(encrypted, key)).toBe(plaintext);
  });

  it('round-trips 1 MB', async () => {
    const key = createSymmetricKey();
    const plaintext = 'abcdefghijklmnopqrstuvwxyz0123456789-é'.repeat(28_000).slice(0, 1024 * 1024);
    const encrypted = await symmetric.encrypt(plaintext, key);
    expect(await symmetric.decrypt(encrypted, key)).toBe(plaintext);
  });

  it('produces the legacy format: 12-byte iv, 16-byte tag, ciphertext as long as the UTF-8', async () => {
    const plaintext = 'été';
    const encrypted = await symmetric.encrypt(plaintext, createSymmetricKey());
    expect(Object.keys(encrypted).sort()).toEqual(['ciphertext', 'iv', 'tag']);
    expect(Buffer.from(encrypted.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(encrypted.tag, 'base64')).toHaveLength(16);
    expect(Buffer.from(encrypted.ciphertext, 'base64')).toHaveLength(Buffer.byteLength(plaintext));
    for (const part of Object.values(encrypted)) expect(part).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
  });

  it('uses a fresh iv, so two encryptions of the same plaintext differ', async () => {
    const key = createSymmetricKey();
    const first = await symmetric.encrypt(PLAINTEXT, key);
    const second = await symmetric.encrypt(PLAINTEXT, key);
    expect(second.iv).not.toBe(first.iv);
    expect(second.ciphertext).not.toBe(first.ciphertext);
    expect(await symmetric.decrypt(second, key)).toBe(PLAINTEXT);
  });

  it('never repeats an iv across the pool refills', async () => {
    const ivs = new Set<string>();
    const key = createSymmetricKey();
    for (let i = 0; i < 1500; i++) ivs.add((await symmetric.encrypt('x', key)).iv);
    expect(ivs.size).toBe(1500);
  });

  it('decrypts what node:crypto (infisical-node 1.4.2) encrypted', async () => {
    const key = createSymmetricKey();
    for (const plaintext of ['', PLAINTEXT, 'ünïcødé 🔑']) {
      expect(await symmetric.decrypt(legacyEncrypt(plaintext, key), key)).toBe(plaintext);
    }
  });

  it('encrypts what node:crypto (infisical-node 1.4.2) decrypts', async () => {
    const key = createSymmetricKey();
    for (const plaintext of ['', PLAINTEXT, 'ünïcødé 🔑']) {
      expect(legacyDecrypt(await symmetric.encrypt(plaintext, key), key)).toBe(plaintext);
    }
  });

  it('interoperates with the other backends', async () => {
    const key = createSymmetricKey();
    const encrypted = await symmetric.encrypt(PLAINTEXT, key);
    for (const [, other] of backends) {
      expect(await other.decrypt(encrypted, key)).toBe(PLAINTEXT);
      expect(await symmetric.decrypt(await other.encrypt(PLAINTEXT, key), key)).toBe(PLAINTEXT);
    }
  });

  it('rejects a key that is not valid base64', async () => {
    const key = `${createSymmetricKey().slice(0, 40)}!!!=`;
    const error = await cryptoErrorOf(symmetric.encrypt(PLAINTEXT, key));
    expect(error.message).toMatch(
      /^The key is not valid standard base64 \(character at position \d+/,
    );
    expect(error.message).toContain('createSymmetricKey()');
    expect(error.cause).toBeInstanceOf(RangeError);
    expectNothingLeaks(error, key, PLAINTEXT);
    await cryptoErrorOf(symmetric.decrypt({ ciphertext: '', iv: '', tag: '' }, 'abc'));
  });

  it('rejects a key that is not 32 bytes', async () => {
    const key = Buffer.from(nodeCrypto.randomBytes(16)).toString('base64');
    const error = await cryptoErrorOf(symmetric.encrypt(PLAINTEXT, key));
    expect(error.message).toBe(
      'The key must be 32 bytes for AES-256-GCM, got 16 bytes. Fix: create one with createSymmetricKey().',
    );
    expectNothingLeaks(error, key, PLAINTEXT);
    const decryptError = await cryptoErrorOf(
      symmetric.decrypt(legacyEncrypt(PLAINTEXT, createSymmetricKey()), ''),
    );
    expect(decryptError.message).toContain('got 0 bytes');
  });

  it('rejects an iv that is not 12 bytes', async () => {
    const key = createSymmetricKey();
    const encrypted = await symmetric.encrypt(PLAINTEXT, key);
    const iv = Buffer.from(nodeCrypto.randomBytes(16)).toString('base64');
    const error = await cryptoErrorOf(symmetric.decrypt({ ...encrypted, iv }, key));
    expect(error.message).toMatch(/^The iv must be 12 bytes, got 16 bytes\. Fix: pass ciphertext/);
    expectNothingLeaks(error, key, PLAINTEXT, encrypted.ciphertext);
  });

  it('rejects a tag that is not 16 bytes', async () => {
    const key = createSymmetricKey();
    const encrypted = await symmetric.encrypt(PLAINTEXT, key);
    const tag = encrypted.tag.slice(0, 16);
    const error = await cryptoErrorOf(symmetric.decrypt({ ...encrypted, tag }, key));
    expect(error.message).toMatch(/^The tag must be 16 bytes, got 12 bytes\./);
    expectNothingLeaks(error, key, PLAINTEXT, encrypted.ciphertext);
  });

  it('rejects parts that are not base64 or not strings', async () => {
    const key = createSymmetricKey();
    const encrypted = await symmetric.encrypt(PLAINTEXT, key);
    const bad = await cryptoErrorOf(symmetric.decrypt({ ...encrypted, ciphertext: '%%%%' }, key));
    expect(bad.message).toMatch(/^The ciphertext is not valid standard base64/);
    const missing = await cryptoErrorOf(
      symmetric.decrypt({ ...encrypted, tag: undefined } as unknown as SymmetricCiphertext, key),
    );
    expect(missing.message).toMatch(/^The tag must be a base64 string/);
    const notObject = await cryptoErrorOf(
      symmetric.decrypt(null as unknown as SymmetricCiphertext, key),
    );
    expect(notObject.message).toMatch(/^The iv must be a base64 string/);
    const notString = await cryptoErrorOf(symmetric.encrypt(42 as unknown as string, key));
    expect(notString.message).toMatch(/^The plaintext must be a string/);
    const keyNotString = await cryptoErrorOf(symmetric.encrypt('x', 42 as unknown as string));
    expect(keyNotString.message).toMatch(/^The key must be a base64 string/);
  });

  it('fails authentication with the wrong key', async () => {
    const key = createSymmetricKey();
    const wrongKey = createSymmetricKey();
    const encrypted = await symmetric.encrypt(PLAINTEXT, key);
    const error = await cryptoErrorOf(symmetric.decrypt(encrypted, wrongKey));
    expect(error.message).toMatch(/^Decryption failed: the authentication tag does not match/);
    expect(error.message).toContain('tampered');
    expect(error.message).toContain('key is wrong');
    expectNothingLeaks(error, key, wrongKey, PLAINTEXT, encrypted.ciphertext, encrypted.tag);
  });

  it('fails authentication on tampered ciphertext, iv or tag', async () => {
    const key = createSymmetricKey();
    const encrypted = await symmetric.encrypt(PLAINTEXT, key);
    const flip = (part: string): string => {
      const bytes = Buffer.from(part, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64');
    };
    for (const field of ['ciphertext', 'iv', 'tag'] as const) {
      const tampered = { ...encrypted, [field]: flip(encrypted[field]) };
      const error = await cryptoErrorOf(symmetric.decrypt(tampered, key));
      expect(error.message).toMatch(/^Decryption failed/);
    }
  });

  it('rejects a plaintext that is not valid UTF-8', async () => {
    const key = createSymmetricKey();
    const iv = nodeCrypto.randomBytes(12);
    const cipher = nodeCrypto.createCipheriv('aes-256-gcm', Buffer.from(key, 'base64'), iv);
    const ciphertext = Buffer.concat([
      cipher.update(Buffer.from([0x61, 0xff, 0xfe])),
      cipher.final(),
    ]);
    const encrypted = {
      ciphertext: ciphertext.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
    const error = await cryptoErrorOf(symmetric.decrypt(encrypted, key));
    expect(error.message).toMatch(/^The decrypted plaintext is not valid UTF-8/);
  });
});
