/**
 * The search strings of a set of values, in one matcher: every form of every value, built once,
 * and the verified matches of a text in one pass.
 *
 * @module
 */
import { decodedStartsWith } from './decode.js';
import { type LeakForm, valueForms } from './forms.js';
import { createMatcher, MAX_PATTERN_LENGTH, type Matcher } from './matcher.js';
import { checkOptionNames } from './options.js';
import {
  type LeakValueOptions,
  type ResolvedValues,
  resolveValues,
  VALUE_OPTION_NAMES,
  type ValueEntry,
} from './values.js';

/** One search string: which value it belongs to, its form, and its whole decoded text. */
export interface PatternRef {
  readonly entry: number;
  readonly form: LeakForm;
  readonly text: string;
}

/** Receives a verified match: its pattern and its span in the scanned text. */
export type PatternListener = (ref: PatternRef, start: number, end: number) => void;

/** The built search strings of a set of values. */
export interface PatternSet {
  /** Indexes of the entries none of whose forms is long enough to search. */
  readonly unsearchable: readonly number[];
  /** Length of the longest search string. */
  readonly longest: number;
  /** Reports every match of every form of every value in `text` between `from` and `to`. */
  scan(text: string, from: number, to: number, onMatch: PatternListener): void;
}

/** Builds the search strings of `entries`. */
export function createPatternSet(entries: readonly ValueEntry[], minLength: number): PatternSet {
  const byPrefix = new Map<string, PatternRef[]>();
  const unsearchable: number[] = [];
  let longest = 0;
  entries.forEach((entry, index) => {
    const forms = valueForms(entry.value, minLength);
    if (forms.length === 0) unsearchable.push(index);
    for (const { form, text } of forms) {
      const prefix = text.slice(0, MAX_PATTERN_LENGTH);
      const refs = byPrefix.get(prefix);
      const ref = { entry: index, form, text };
      if (refs === undefined) byPrefix.set(prefix, [ref]);
      else refs.push(ref);
      longest = Math.max(longest, text.length);
    }
  });
  const prefixes = [...byPrefix.keys()];
  const refsById = [...byPrefix.values()];
  const matcher: Matcher = createMatcher(prefixes);
  return {
    unsearchable,
    longest,
    scan(text, from, to, onMatch) {
      matcher.scan(text, from, to, (id, start, end) => {
        const prefixLength = matcher.patternLength(id);
        for (const ref of refsById[id] as PatternRef[]) {
          if (ref.text.length === prefixLength) onMatch(ref, start, end);
          else {
            const fullEnd = decodedStartsWith(text, end, to, ref.text, prefixLength);
            if (fullEnd >= 0) onMatch(ref, start, fullEnd);
          }
        }
      });
    },
  };
}

/** The values of a scanner's or a redactor's options, and their search strings. */
export interface ValueSet extends ResolvedValues {
  readonly patterns: PatternSet;
  /** Number of values searched. */
  readonly checked: number;
}

/**
 * Checks `options` (the value options, plus `extraNames`) and builds their search strings; the
 * values none of whose forms is long enough join `tooShort`.
 *
 * @throws InfisicalError `CONFIG_INVALID` naming the option (and key) that is wrong, never a value.
 */
export function createValueSet(
  options: LeakValueOptions,
  caller: string,
  extraNames: readonly string[] = [],
): ValueSet {
  checkOptionNames(options, [...VALUE_OPTION_NAMES, ...extraNames], caller);
  const resolved = resolveValues(options as unknown as Record<string, unknown>, caller);
  const patterns = createPatternSet(resolved.entries, resolved.minLength);
  const unsearchable = patterns.unsearchable.map(
    (index) => (resolved.entries[index] as ValueEntry).key,
  );
  return {
    ...resolved,
    tooShort: Object.freeze([...resolved.tooShort, ...unsearchable]),
    patterns,
    checked: resolved.entries.length - unsearchable.length,
  };
}
