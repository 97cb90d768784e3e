/**
 * Values cut across adjacent string literals. Minifiers fold `"a" + "b"` into one literal, but
 * not always: esbuild leaves `o = "a"; o += "b"` and `` `a`.concat("b") ``, development builds keep
 * `"a" + "b"`, and template literals hold `${"b"}` pieces. The scanner finds the joins
 * (`"` `+` `"`, `"; x += "`, `".concat("`, `${"…"}`), removes them in a window around each, and
 * searches the joined text again; a match that crosses a removed join is a `split-literal`.
 *
 * Not found: a value split by anything else (a variable, a function call, `["a", "b"].join("")`,
 * `String.fromCharCode`, reversal), or split across files.
 *
 * @module
 */
import { lastAtOrBefore } from './line-index.js';
import type { PatternRef, PatternSet } from './pattern-set.js';

/** `"` + `"`, `"; x += "` and `".concat("`, with either quote or a backtick on each side. */
const JOINS = /["'`]\s*(?:\+|\.concat\(|[;,]\s*[\w$]+\s*\+=)\s*["'`]/g;

/** A template piece holding a string literal: `${"…"}`. */
const TEMPLATE_PIECES = /\$\{\s*(["'])((?:(?!\1)[^\\\r\n]|\\.)*)\1\s*\}/g;

/** A range of the original text removed from the joined view. */
interface Cut {
  readonly start: number;
  readonly end: number;
}

/** The joins of `text`, in order. */
function findCuts(text: string): Cut[] {
  const cuts: Cut[] = [];
  for (const match of text.matchAll(JOINS)) {
    cuts.push({ start: match.index, end: match.index + match[0].length });
  }
  for (const match of text.matchAll(TEMPLATE_PIECES)) {
    const whole = match[0];
    const contentStart = match.index + whole.indexOf(match[1] as string) + 1;
    const contentEnd = contentStart + (match[2] as string).length;
    cuts.push({ start: match.index, end: contentStart });
    cuts.push({ start: contentEnd, end: match.index + whole.length });
  }
  return cuts.sort((a, b) => a.start - b.start);
}

/**
 * Reports the matches of `patterns` in `text` that only appear once adjacent string literals are
 * joined, at their start in `text`.
 */
export function scanSplitLiterals(
  text: string,
  patterns: PatternSet,
  onMatch: (ref: PatternRef, start: number) => void,
): void {
  const cuts = findCuts(text);
  const reach = patterns.longest;
  let first = 0;
  while (first < cuts.length) {
    // A cluster: cuts close enough that their windows overlap.
    let last = first;
    while (
      last + 1 < cuts.length &&
      (cuts[last + 1] as Cut).start - (cuts[last] as Cut).end < 2 * reach
    ) {
      last++;
    }
    scanWindow(text, cuts.slice(first, last + 1), reach, patterns, onMatch);
    first = last + 1;
  }
}

/** Joins the text around `cuts` and reports the matches that cross one. */
function scanWindow(
  text: string,
  cuts: readonly Cut[],
  reach: number,
  patterns: PatternSet,
  onMatch: (ref: PatternRef, start: number) => void,
): void {
  const windowEnd = Math.min(text.length, (cuts[cuts.length - 1] as Cut).end + reach);
  // Pieces of the joined view: where each starts in the view and in the text.
  const viewStarts: number[] = [];
  const textStarts: number[] = [];
  let view = '';
  let from = Math.max(0, (cuts[0] as Cut).start - reach);
  for (const cut of cuts) {
    if (cut.start < from) {
      from = Math.max(from, cut.end); // overlapping joins
      continue;
    }
    viewStarts.push(view.length);
    textStarts.push(from);
    view += text.slice(from, cut.start);
    from = cut.end;
  }
  viewStarts.push(view.length);
  textStarts.push(from);
  view += text.slice(from, windowEnd);

  const pieceOf = (at: number): number => lastAtOrBefore(viewStarts, at);
  patterns.scan(view, 0, view.length, (ref, start, end) => {
    const piece = pieceOf(start);
    if (piece === pieceOf(end - 1)) return; // found by the plain scan
    onMatch(ref, (textStarts[piece] as number) + start - (viewStarts[piece] as number));
  });
}
