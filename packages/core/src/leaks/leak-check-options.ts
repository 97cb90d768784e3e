/**
 * The `leakCheck` option every adapter takes for its build's leak check: `true` (the default),
 * `false`, or the settings below, checked once here.
 *
 * @module
 */
import { checkOptionNames, invalidOption } from './options.js';
import { type LeakValueOptions, resolveValues } from './values.js';

/** Settings of an adapter's leak check (`leakCheck: { … }`). */
export interface LeakCheckOptions extends Pick<LeakValueOptions, 'ignore' | 'minLength'> {
  /**
   * Keys whose values may appear in client code: values that are not secret and that client
   * code holds anyway. Credentials cannot be ignored.
   * @default []
   */
  ignore?: readonly string[];
  /**
   * More folders or files known to hold no secret (e.g. a build of the same app without
   * secrets), relative to the project: a private value also found in them is a warning, not a
   * failure. The framework's own client files are always part of the baseline.
   * @default []
   */
  baseline?: readonly string[];
}

const NAMES = ['ignore', 'minLength', 'baseline'];

/**
 * The settings of a `leakCheck` option (`undefined` when it is `false`), checked: a boolean, or
 * an object with the {@link LeakCheckOptions} names (a typo gets the nearest one) and types.
 *
 * @throws InfisicalError `CONFIG_INVALID` naming the option and the fix.
 */
export function leakCheckSettings(option: unknown, caller: string): LeakCheckOptions | undefined {
  if (option === undefined || option === true) return {};
  if (option === false) return undefined;
  const where = `${caller}: leakCheck`;
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw invalidOption(
      where,
      `must be true, false or { ignore, minLength, baseline }`,
      'pass one of them',
    );
  }
  checkOptionNames(option, NAMES, where);
  const { baseline, ignore, minLength } = option;
  resolveValues({ privateValues: {}, ignore, minLength }, where);
  if (
    baseline !== undefined &&
    (!Array.isArray(baseline) || baseline.some((item) => typeof item !== 'string'))
  ) {
    throw invalidOption(where, 'baseline must be an array of strings', "pass baseline: ['…']");
  }
  return option as LeakCheckOptions;
}
