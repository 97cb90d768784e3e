/**
 * The search strings of a set of values, in one matcher: every form of every value, built once,
 * and the verified matches of a text in one pass.
 *
 * @module
 */
import { decodedStartsWith } from './decode.js';
import { type LeakForm, valueForms } from './forms.js';
import { createMatcher, MAX_PATTERN_LENGTH, type Matcher } from './matcher.js';
import type { ValueEntry } from './values.js';

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
