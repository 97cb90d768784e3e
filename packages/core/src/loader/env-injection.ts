/**
 * Writing secrets into an environment object (`process.env`) without clobbering what is set.
 * Keys are written as own data properties, so `__proto__` is a variable like any other.
 *
 * @module
 */

/** Options of {@link injectEnv}. */
export interface InjectEnvOptions {
  /** Overwrite variables that are already set. @default false */
  override?: boolean;
  /** Keys this loader set before: they are updated even without `override` (rotation). */
  owned?: ReadonlySet<string>;
}

/** Writes values into `target`; returns the keys written. */
export function injectEnv(
  target: Record<string, string | undefined>,
  values: Readonly<Record<string, string>>,
  options: InjectEnvOptions = {},
): string[] {
  const written: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const taken =
      Object.hasOwn(target, key) && target[key] !== undefined && !options.owned?.has(key);
    if (taken && !options.override) continue;
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    written.push(key);
  }
  return written;
}
