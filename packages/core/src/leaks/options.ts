/**
 * Checks of the option objects of the leak scanner and the redactor: an options object, known
 * option names only (the nearest valid one suggested for a typo).
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';

/** Edit distance between two short names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        substitution,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The allowed name nearest to `name`, when it is near enough to be a typo. */
function nearest(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of allowed) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws `CONFIG_INVALID` unless `options` is a plain options object whose own keys are all in
 * `allowed`.
 */
export function checkOptionNames(
  options: unknown,
  allowed: readonly string[],
  caller: string,
): asserts options is Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      `${caller} needs an options object. Fix: pass { privateValues, … }.`,
    );
  }
  for (const name of Object.keys(options)) {
    if (allowed.includes(name)) continue;
    const suggestion = nearest(name, allowed);
    throw new InfisicalError(
      'CONFIG_INVALID',
      `${caller}: unknown option "${name}". Fix: ${
        suggestion === undefined
          ? `use one of ${allowed.join(', ')}`
          : `did you mean "${suggestion}"?`
      }`,
    );
  }
}

/** The `CONFIG_INVALID` error for an option: what is wrong with it, and the fix. */
export function invalidOption(caller: string, what: string, fix: string): InfisicalError {
  return new InfisicalError('CONFIG_INVALID', `${caller}: ${what}. Fix: ${fix}.`);
}
