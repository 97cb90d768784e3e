/**
 * Constant-time comparison for every credential the emulator checks (client secrets, seed access
 * tokens, the control token, AWS session and ECS authorization tokens).
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether two credentials are equal, without an early exit at the first differing character or
 * on a length mismatch: both are hashed to SHA-256 and the digests compared with `timingSafeEqual`.
 */
export function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
