/**
 * Checked option values: booleans that are booleans (the string `"false"` is not true), and
 * durations with a unit and a sane maximum (timers past 2^31 ms fire at once).
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';

/** The longest duration any option takes: 24 days (timers overflow just below 25). */
const MAX_DURATION_MS = 24 * 24 * 3600 * 1000;

/**
 * A boolean option: `true`/`false`, or the strings `"true"`/`"false"` (as environment variables
 * hold them, any case, trimmed); `undefined` gives `fallback`.
 *
 * @param name - the option (or variable) name, for the message.
 * @throws InfisicalError `CONFIG_INVALID` for anything else (`"yes"`, `1`, `"0"`...).
 */
export function booleanOption(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  throw new InfisicalError(
    'CONFIG_INVALID',
    `${name} must be true or false. Fix: pass a boolean (from an environment variable, the string "true" or "false").`,
    { details: { option: name } },
  );
}

/** How a duration option is given. */
export interface DurationSpec {
  /** The option (or variable) name, for the message. */
  name: string;
  /** The unit the option is given in. */
  unit: 's' | 'ms';
  /** Whether 0 is allowed (it means "off" for most options). @default true */
  allowZero?: boolean;
}

/**
 * A duration option, as a number (or a numeric string from an environment variable) in its
 * unit, returned in ms: finite, not negative, at most {@link MAX_DURATION_MS}.
 *
 * @throws InfisicalError `CONFIG_INVALID` naming the option, its unit and bounds.
 */
export function durationMs(value: number | string, spec: DurationSpec): number {
  const number =
    typeof value === 'string' && value.trim() !== ''
      ? Number(value)
      : typeof value === 'number'
        ? value
        : Number.NaN;
  const ms = spec.unit === 's' ? number * 1000 : number;
  const allowZero = spec.allowZero ?? true;
  if (Number.isFinite(ms) && ms <= MAX_DURATION_MS && (ms > 0 || (allowZero && ms === 0))) {
    return ms;
  }
  const max = spec.unit === 's' ? MAX_DURATION_MS / 1000 : MAX_DURATION_MS;
  const unit = spec.unit === 's' ? 'seconds' : 'milliseconds';
  throw new InfisicalError(
    'CONFIG_INVALID',
    `${spec.name} must be a number of ${unit} ${allowZero ? 'from 0' : 'above 0'} to ${max} (24 days). ` +
      `Fix: pass a value in that range${allowZero ? ', or 0 to turn it off' : ''}.`,
    { details: { option: spec.name, max } },
  );
}
