/**
 * Line and column of an offset in a text, from an index of line starts built on first use; and
 * the binary search it rests on.
 *
 * @module
 */

/** A 1-based line and column (in UTF-16 code units). */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** The index of the last of the ascending `starts` that is at most `offset` (0 when none is). */
export function lastAtOrBefore(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((starts[middle] as number) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** A function from offsets in `text` to positions; the line index is built on its first call. */
export function createLineIndex(text: string): (offset: number) => TextPosition {
  let starts: number[] | undefined;
  return (offset) => {
    if (starts === undefined) {
      starts = [0];
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1))
        starts.push(at + 1);
    }
    const line = lastAtOrBefore(starts, offset);
    return { line: line + 1, column: offset - (starts[line] as number) + 1 };
  };
}
