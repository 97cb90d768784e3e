/**
 * The snapshot's sealed form, with Web Crypto only (so it runs wherever the client does): an
 * AES-256-GCM key and a key id derived with HKDF-SHA256 from the identity's key material, bound
 * to the site and the folder (project, environment, path, query); the header authenticated as
 * additional data; the time Infisical last confirmed the values inside the ciphertext.
 *
 * @module
 */
import { decodeBase64, encodeBase64 } from '../crypto/base64.js';
import { InfisicalError } from '../errors/infisical-error.js';
import { type SecretValues, valueMap } from '../secrets/value-map.js';

/** What a snapshot is bound to: another site or folder derives other keys. */
export interface SnapshotScope {
  /** The Infisical site URL. */
  siteUrl: string;
  /** The folder's cache key: project, environment, path and query. */
  folder: string;
}

/** A snapshot, opened. */
export interface OpenedSnapshot {
  values: SecretValues;
  /** When Infisical last confirmed these values (ms since the epoch). */
  savedAt: number;
}

/** Why a snapshot was not used (`details.reason` of `SNAPSHOT_REJECTED`). */
export type SnapshotRejection =
  | 'expired'
  | 'tampered'
  | 'foreign'
  | 'malformed'
  | 'unreadable'
  | 'unsafe'
  | 'invalid'
  | 'no-key';

const FORMAT = 'infisical-snapshot';
const VERSION = 1;
const IV_BYTES = 12;
const KEY_ID_BYTES = 12;
const ENCODER = /* @__PURE__ */ new TextEncoder();
const DECODER = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });
const SALT = /* @__PURE__ */ ENCODER.encode('@infisical/core last-known-good snapshot');

interface Header {
  format: typeof FORMAT;
  version: typeof VERSION;
  /** Derived with the key: tells another identity, key, site or folder from tampering. */
  keyId: string;
}

/** The fix of each rejection (the snapshot is rewritten after the next successful load anyway). */
const FIXES: Readonly<Record<SnapshotRejection, string>> = {
  expired:
    'none needed, it is replaced after the next successful load; raise snapshot.maxAge to let starts serve older values',
  tampered: 'delete it; it is rewritten after the next successful load',
  foreign:
    'give each identity and folder its own snapshot.path (with snapshot.key, use the key it was written with); it is rewritten after the next successful load',
  malformed: 'delete it; it is rewritten after the next successful load',
  unreadable: 'check the path and its permissions',
  unsafe:
    'see the problem above; the file must be a regular file of this user, mode 600, in a folder only this user can write',
  invalid:
    'none needed if Infisical is back soon; else check required and schema against the snapshot values',
  'no-key':
    'pass snapshot.key (at least 32 characters, e.g. from createSymmetricKey(), kept as a secret)',
};

/**
 * The `SNAPSHOT_REJECTED` error of `reason`: `<label> <problem>, so it is not used. Fix: …`,
 * never a value.
 */
export function snapshotRejected(
  reason: SnapshotRejection,
  label: string,
  problem: string,
  cause?: unknown,
): InfisicalError {
  return new InfisicalError(
    'SNAPSHOT_REJECTED',
    `${label} ${problem}, so it is not used. Fix: ${FIXES[reason]}.`,
    { cause, details: { reason } },
  );
}

/** Seals `values`, confirmed by Infisical at `savedAt`, for `scope` under `material`. */
export async function sealSnapshot(
  values: SecretValues,
  savedAt: number,
  material: string,
  scope: SnapshotScope,
): Promise<string> {
  const { key, keyId } = await deriveKeys(material, scope);
  const header: Header = { format: FORMAT, version: VERSION, keyId };
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plaintext = ENCODER.encode(JSON.stringify({ savedAt, values: Object.entries(values) }));
  const data = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: ENCODER.encode(JSON.stringify(header)) },
    key,
    plaintext,
  );
  return JSON.stringify({
    ...header,
    iv: encodeBase64(iv),
    data: encodeBase64(new Uint8Array(data)),
  });
}

/**
 * Opens a sealed snapshot of `scope` with `material`.
 *
 * @throws InfisicalError `SNAPSHOT_REJECTED`: `malformed` (not a snapshot, another format
 * version), `foreign` (another identity or key, site or folder), `tampered` (changed or
 * corrupted since it was written).
 */
export async function openSnapshot(
  text: string,
  material: string,
  scope: SnapshotScope,
  label: string,
): Promise<OpenedSnapshot> {
  const malformed = (problem: string, cause?: unknown): InfisicalError =>
    snapshotRejected('malformed', label, problem, cause);
  const sealed = parseSealed(text, malformed);
  const { key, keyId } = await deriveKeys(material, scope);
  if (keyId !== sealed.keyId) {
    throw snapshotRejected(
      'foreign',
      label,
      'was saved by another identity (or with another snapshot.key), or for another site or folder',
    );
  }
  const header: Header = { format: FORMAT, version: VERSION, keyId };
  let plaintext: ArrayBuffer;
  try {
    plaintext = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: sealed.iv, additionalData: ENCODER.encode(JSON.stringify(header)) },
      key,
      sealed.data,
    );
  } catch (cause) {
    throw snapshotRejected(
      'tampered',
      label,
      'was changed or corrupted since it was written (its authentication tag does not match)',
      cause,
    );
  }
  return parsePlaintext(plaintext, malformed);
}

/** The AES-256-GCM key and the key id of `material` for `scope`. */
async function deriveKeys(
  material: string,
  scope: SnapshotScope,
): Promise<{ key: CryptoKey; keyId: string }> {
  const subtle = globalThis.crypto.subtle;
  const ikm = await subtle.importKey('raw', ENCODER.encode(material), 'HKDF', false, [
    'deriveBits',
  ]);
  const info = ENCODER.encode(`${FORMAT} v${VERSION}\n${scope.siteUrl}\n${scope.folder}`);
  const bits = new Uint8Array(
    await subtle.deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: SALT, info },
      ikm,
      256 + KEY_ID_BYTES * 8,
    ),
  );
  const key = await subtle.importKey('raw', bits.slice(0, 32), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  return { key, keyId: encodeBase64(bits.slice(32)) };
}

type Malformed = (problem: string, cause?: unknown) => InfisicalError;

function parseSealed(
  text: string,
  malformed: Malformed,
): { keyId: string; iv: Uint8Array<ArrayBuffer>; data: Uint8Array<ArrayBuffer> } {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw malformed('is not a snapshot (not JSON)');
  }
  if (typeof parsed !== 'object' || parsed === null || parsed.format !== FORMAT) {
    throw malformed('is not an Infisical snapshot');
  }
  if (parsed.version !== VERSION) {
    throw malformed(
      `was written in another format version (${String(parsed.version)}, this one reads ${VERSION})`,
    );
  }
  const { keyId, iv, data } = parsed;
  if (typeof keyId !== 'string' || typeof iv !== 'string' || typeof data !== 'string') {
    throw malformed('lacks its key id, IV or data');
  }
  try {
    const ivBytes = decodeBase64(iv);
    if (ivBytes.length !== IV_BYTES) throw new RangeError('IV length');
    return { keyId, iv: ivBytes, data: decodeBase64(data) };
  } catch (cause) {
    throw malformed('holds an IV or data that is not valid base64', cause);
  }
}

function parsePlaintext(plaintext: ArrayBuffer, malformed: Malformed): OpenedSnapshot {
  let content: { savedAt?: unknown; values?: unknown };
  try {
    content = JSON.parse(DECODER.decode(plaintext)) as typeof content;
  } catch (cause) {
    throw malformed('decrypts to something that is not a snapshot', cause);
  }
  const { savedAt, values } = content;
  if (
    typeof savedAt !== 'number' ||
    !Number.isFinite(savedAt) ||
    !Array.isArray(values) ||
    !values.every(
      (entry: unknown) =>
        Array.isArray(entry) &&
        entry.length === 2 &&
        typeof entry[0] === 'string' &&
        typeof entry[1] === 'string',
    )
  ) {
    throw malformed('decrypts to something that is not a snapshot');
  }
  return { values: valueMap(values as [string, string][]), savedAt };
}
