import { createHash, randomUUID } from 'node:crypto';

/** A UUID derived from a name, so a seed gives the same ids at every start and reset. */
export function stableId(...parts: string[]): string {
  const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** A fresh random UUID. */
export const newId = (): string => randomUUID();

/** Orders strings by code unit, as a database `ORDER BY` on a text key (and far faster than `localeCompare`). */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
