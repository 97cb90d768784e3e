/**
 * Which secrets may reach client code: keys with a public prefix (Vite's `VITE_`, Next's
 * `NEXT_PUBLIC_`) or named in an allowlist. Everything else is private.
 *
 * @module
 */
import { type SecretValues, valueMap } from '../secrets/value-map.js';

/** How public keys are recognised. */
export interface ExposureOptions {
  /** Keys starting with one of these are public (e.g. `['VITE_']`). @default [] */
  publicPrefixes?: readonly string[];
  /** Keys listed here are public whatever their name. @default [] */
  publicKeys?: readonly string[];
}

/** A predicate telling public keys from private ones. */
export function createPublicFilter(options: ExposureOptions = {}): (key: string) => boolean {
  const prefixes = (options.publicPrefixes ?? []).filter((prefix) => prefix.length > 0);
  const keys = new Set(options.publicKeys ?? []);
  if (prefixes.length === 0) return (key) => keys.has(key);
  return (key) => keys.has(key) || prefixes.some((prefix) => key.startsWith(prefix));
}

/** Splits values into the public and the private ones (frozen, null-prototype maps). */
export function partitionByExposure(
  values: Readonly<Record<string, string>>,
  isPublic: (key: string) => boolean,
): { publicValues: SecretValues; privateValues: SecretValues } {
  const publicEntries: [string, string][] = [];
  const privateEntries: [string, string][] = [];
  for (const [key, value] of Object.entries(values)) {
    (isPublic(key) ? publicEntries : privateEntries).push([key, value]);
  }
  return { publicValues: valueMap(publicEntries), privateValues: valueMap(privateEntries) };
}
