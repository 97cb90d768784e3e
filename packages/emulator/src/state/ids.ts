/**
 * Ids: stable UUIDs derived from names (so a seed gives the same ids at every start and reset)
 * and fresh random ones.
 *
 * @module state/ids
 */
import { hash, randomUUID } from 'node:crypto';

/** A UUID derived from a name, so a seed gives the same ids at every start and reset. */
export function stableId(...parts: string[]): string {
  const hex = hash('sha1', parts.join('\u0000'), 'hex');
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** A fresh random UUID. */
export const newId = (): string => randomUUID();

/** The organisation every emulated project belongs to. */
export const ORG_ID: string = stableId('organization');
