/**
 * Constant-time comparison for every credential the emulator checks (client secrets, seed access
 * tokens, the control token, AWS session and ECS authorization tokens), and the one digest the
 * emulator keeps of a credential instead of the credential itself.
 *
 * @module auth/constant-time
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a credential, hex: what the store keeps of a client secret, the key seed tokens are looked up by. */
export function credentialDigest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Whether two credentials are equal, without an early exit at the first differing character or
 * on a length mismatch: both are hashed to SHA-256 and the digests compared with `timingSafeEqual`.
 */
export function safeEqual(given: string, expected: string): boolean {
  return digestsEqual(credentialDigest(given), credentialDigest(expected));
}

/** Whether two hex digests of {@link credentialDigest} are equal, compared with `timingSafeEqual`. */
export function digestsEqual(given: string, stored: string): boolean {
  const left = Buffer.from(given, 'hex');
  const right = Buffer.from(stored, 'hex');
  // Digests have one length: a mismatch means a malformed stored row, not a near miss.
  return left.length === right.length && timingSafeEqual(left, right);
}
