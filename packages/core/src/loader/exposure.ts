/**
 * Which secrets may reach client code: keys with a public prefix (Vite's `VITE_`, Next's
 * `NEXT_PUBLIC_`) or named in an allowlist. Everything else is private.
 *
 * @module
 */

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
  return (key) => keys.has(key) || prefixes.some((prefix) => key.startsWith(prefix));
}

/** Splits values into the public and the private ones. */
export function partitionByExposure(
  values: Readonly<Record<string, string>>,
  isPublic: (key: string) => boolean,
): { publicValues: Record<string, string>; privateValues: Record<string, string> } {
  const publicValues: Record<string, string> = {};
  const privateValues: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (isPublic(key)) publicValues[key] = value;
    else privateValues[key] = value;
  }
  return { publicValues, privateValues };
}
