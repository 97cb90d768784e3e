/**
 * Writing secrets into an environment object (`process.env`) without clobbering what is set.
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
    const taken = target[key] !== undefined && !options.owned?.has(key);
    if (taken && !options.override) continue;
    target[key] = value;
    written.push(key);
  }
  return written;
}
