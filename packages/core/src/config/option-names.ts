/**
 * Unknown option names are refused, with the nearest valid name: a typo in `siteUrl` must not
 * silently send the credentials to Infisical Cloud.
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';

/**
 * The complete list of an options type's keys, checked at compile time: leaving one out or
 * adding one that is not a key does not compile.
 */
export function optionNames<T>(): <const K extends readonly (keyof T & string)[]>(
  ...names: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : never)
) => readonly (keyof T & string)[] {
  return (...names) => names;
}

/** Names that were renamed: the old name is refused with a pointer to the new one. */
export type RenamedOptions = Readonly<Record<string, string>>;

/**
 * Checks that `options` (an object) has no key outside `known`.
 *
 * @param where - how the options are named in messages, e.g. `InfisicalClient options` or `retry`.
 * @throws InfisicalError `CONFIG_INVALID` naming the unknown key and the nearest valid one.
 */
export function checkOptionNames(
  options: object,
  known: readonly string[],
  where: string,
  renamed: RenamedOptions = {},
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const newName = Object.hasOwn(renamed, key) ? renamed[key] : undefined;
    const fix =
      newName !== undefined ? `"${key}" was renamed: use "${newName}".` : nearestHint(key, known);
    throw new InfisicalError('CONFIG_INVALID', `Unknown option "${key}" in ${where}. Fix: ${fix}`, {
      details: { option: key, where, ...(newName === undefined ? {} : { renamedTo: newName }) },
    });
  }
}

/**
 * Checks that `value` is a plain options object (or undefined) and returns it.
 *
 * @throws InfisicalError `CONFIG_INVALID` for anything else.
 */
export function optionsObject<T extends object>(
  value: T | undefined,
  where: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      `${where} must be an object. Fix: pass an object literal, or leave it out.`,
    );
  }
  return value;
}

function nearestHint(key: string, known: readonly string[]): string {
  const nearest = nearestName(key, known);
  return nearest === undefined
    ? `remove it; the valid options are ${known.join(', ')}.`
    : `did you mean "${nearest}"?`;
}

/**
 * The valid name closest to `key`: same letters ignoring case, else the smallest edit distance
 * (adjacent swaps count once) within a third of the name's length.
 */
export function nearestName(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameLetters = known.find((name) => name.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = value;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
