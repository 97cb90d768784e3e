/**
 * Key → value maps of secrets: null-prototype and frozen, so any key (`__proto__`,
 * `constructor`) is an ordinary own key, and a key that is absent reads as `undefined`.
 *
 * @module
 */

/**
 * Secret values by key. With declared keys (typed keys), each may still be absent, so each reads
 * as `string | undefined`; an index read of any key does too (`noUncheckedIndexedAccess`).
 */
export type SecretValues<K extends string = string> = string extends K
  ? Readonly<Record<string, string>>
  : Readonly<Partial<Record<K, string>>>;

/** A frozen, null-prototype map of the given entries (a later entry of a key wins). */
export function valueMap(entries: Iterable<readonly [string, string]>): SecretValues {
  const map = Object.create(null) as Record<string, string>;
  for (const [key, value] of entries) map[key] = value;
  return Object.freeze(map);
}

/** A frozen, null-prototype map of `{ key, value }` items (a later item of a key wins). */
export function valueMapOf(items: readonly { key: string; value: string }[]): SecretValues {
  const map = Object.create(null) as Record<string, string>;
  for (const item of items) map[item.key] = item.value;
  return Object.freeze(map);
}

/** The empty map. */
export const EMPTY_VALUES: SecretValues = /* @__PURE__ */ valueMap([]);
