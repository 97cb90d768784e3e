/**
 * The fleet's key: derived with HKDF-SHA256 from the identity's credentials (or from a key the
 * user passes), bound to the Infisical instance and the identity. It names everything shared
 * (`<key id>:<kind>:<HMAC of the name>`, so a store reader learns no project, path or key name)
 * and seals every value with AES-256-GCM (core's crypto), the name inside the sealed text so an
 * entry copied under another name does not open.
 *
 * @module
 */
import { decodeBase64, encodeBase64 } from '../crypto/base64.js';
import { decryptSymmetric, encryptSymmetric } from '../crypto/symmetric.js';
import { InfisicalError } from '../errors/infisical-error.js';

/** What the key is derived from: the secret material, and who and where it is for. */
export interface FleetKeyInput {
  /** High-entropy material every instance of the fleet has (credentials, or the user's key bytes). */
  secret: Uint8Array<ArrayBuffer>;
  /** The identity, e.g. `universal-auth:<client id>`: a key per identity, even from one user key. */
  identity: string;
  /** The Infisical instance (site URL). */
  siteUrl: string;
}

/** The derived key: its public id, the names it gives, and sealing. */
export interface FleetKey {
  /** 16 hex characters of SHA-256 over the derived encryption key; never the key. */
  readonly id: string;
  /** The store name of `what` (of a kind such as `f` for folders): `<id>:<kind>:<HMAC hex>`. */
  name(kind: string, what: string): Promise<string>;
  /** Seals `plaintext` for the entry `name`. */
  seal(name: string, plaintext: string): Promise<string>;
  /**
   * Opens what {@link seal} gave for `name`.
   * @throws InfisicalError `CRYPTO_ERROR` for another key, another name, or tampered text.
   */
  open(name: string, sealed: string): Promise<string>;
}

const SALT = /* @__PURE__ */ new TextEncoder().encode('@infisical/core fleet key v1');
const FORMAT = 'v1';
/** How many names are remembered (refs are bounded by the client; channels and locks are few). */
const NAME_CACHE_SIZE = 4096;

/** Derives the fleet key (HKDF-SHA256: 32 bytes to encrypt, 32 bytes to name). */
export async function deriveFleetKey(input: FleetKeyInput): Promise<FleetKey> {
  const subtle = fleetSubtle();
  const material = await subtle.importKey('raw', input.secret, 'HKDF', false, ['deriveBits']);
  const info = new TextEncoder().encode(`${input.siteUrl}\u0000${input.identity}`);
  const bits = new Uint8Array(
    await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: SALT, info }, material, 512),
  );
  const encryptionKey = encodeBase64(bits.slice(0, 32));
  const nameKey = await subtle.importKey(
    'raw',
    bits.slice(32),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const digest = new Uint8Array(await subtle.digest('SHA-256', bits.slice(0, 32)));
  const id = hex(digest).slice(0, 16);
  const names = new Map<string, string>();
  return {
    id,
    async name(kind, what) {
      const plain = `${kind}\u0000${what}`;
      const known = names.get(plain);
      if (known !== undefined) return known;
      const mac = await subtle.sign('HMAC', nameKey, new TextEncoder().encode(plain));
      const name = `${id}:${kind}:${hex(new Uint8Array(mac)).slice(0, 32)}`;
      if (names.size >= NAME_CACHE_SIZE) names.clear();
      names.set(plain, name);
      return name;
    },
    async seal(name, plaintext) {
      const { ciphertext, iv, tag } = await encryptSymmetric(
        `${name}\u0000${plaintext}`,
        encryptionKey,
      );
      return `${FORMAT}.${iv}.${tag}.${ciphertext}`;
    },
    async open(name, sealed) {
      const [format, iv, tag, ciphertext, extra] = String(sealed).split('.');
      if (format !== FORMAT || extra !== undefined || !iv || !tag || ciphertext === undefined) {
        throw new InfisicalError(
          'CRYPTO_ERROR',
          'A shared fleet entry is not in the sealed format. Fix: let only @infisical/core write under its names.',
        );
      }
      const plain = await decryptSymmetric({ ciphertext, iv, tag }, encryptionKey);
      const prefix = `${name}\u0000`;
      if (!plain.startsWith(prefix)) {
        throw new InfisicalError(
          'CRYPTO_ERROR',
          'A shared fleet entry was sealed for another name (moved or replayed). Fix: let only @infisical/core write under its names.',
        );
      }
      return plain.slice(prefix.length);
    },
  };
}

/**
 * The user's `fleet.key` as bytes: 32 bytes of standard base64.
 * @throws InfisicalError `CONFIG_INVALID` otherwise (the value is never quoted).
 */
export function userKeyBytes(key: unknown): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  try {
    bytes = typeof key === 'string' ? decodeBase64(key.trim()) : undefined;
  } catch {
    bytes = undefined;
  }
  if (bytes === undefined || bytes.length !== 32) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'fleet.key must be 32 bytes in standard base64 (44 characters). Fix: create one with createSymmetricKey() and give every instance of the fleet the same one.',
      { details: { option: 'fleet.key' } },
    );
  }
  return bytes;
}

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

function fleetSubtle(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) {
    throw new InfisicalError(
      'CRYPTO_ERROR',
      'Web Crypto (crypto.subtle) is not available, so fleet entries cannot be sealed. Fix: run on Node 20+, Bun, Deno or an edge runtime.',
    );
  }
  return subtle;
}
