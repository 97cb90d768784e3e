/**
 * A multi-pattern matcher (Aho-Corasick over UTF-16 code units), built once for a set of
 * patterns and run in one pass over a text however many patterns there are. It reads the text
 * through escape sequences ({@link decodeEscape}): patterns are given decoded, and a match
 * reports its start and end offsets in the original text.
 *
 * The automaton is stored in flat typed arrays, its nodes numbered breadth first: a dense
 * transition table over character classes for the shallowest nodes (where a scan spends nearly
 * all its time), and sorted child lists with failure links for the deeper ones.
 *
 * @module
 */
import { decodeEscape } from './decode.js';

/** Longest pattern the automaton holds; longer search strings are cut to this and verified. */
export const MAX_PATTERN_LENGTH = 128;

/** Escapes remembered to map a match back to its start (more than any pattern can span). */
const RING = 256;

/** Cells of the dense transition table (4 MiB). */
const DENSE_CELLS = 1 << 20;

/** Character-class flag of `\`, `&` and `%`, which may start an escape sequence. */
const ESCAPE_FLAG = 1 << 17;
const CLASS_MASK = ESCAPE_FLAG - 1;
const ESCAPE_STARTS = [0x5c, 0x26, 0x25];

/** Receives a match of pattern `id` spanning `start` to `end` (offsets in the scanned text). */
export type MatchListener = (id: number, start: number, end: number) => void;

/** A built matcher. */
export interface Matcher {
  /** Length of pattern `id`, in decoded code units. */
  patternLength(id: number): number;
  /** Reports every occurrence of every pattern in `text` between `from` and `to`. */
  scan(text: string, from: number, to: number, onMatch: MatchListener): void;
}

/**
 * The trie of `patterns`, numbered breadth first: node 0 is the root, the children of a node are
 * consecutive (from `firstChild[node]` to `firstChild[node + 1]`, sorted by code unit), and a
 * node's number is smaller than its children's. Built from the sorted patterns: each node is the
 * range of patterns that share its path.
 */
function buildTrie(patterns: readonly string[]): {
  nodes: number;
  unitOf: Uint16Array;
  firstChild: Int32Array;
  terminal: Int32Array;
} {
  const sorted = patterns.map((_, id) => id);
  sorted.sort((a, b) => {
    const left = patterns[a] as string;
    const right = patterns[b] as string;
    return left < right ? -1 : left > right ? 1 : 0;
  });
  let capacity = 1;
  for (const pattern of patterns) capacity += pattern.length;
  const low = new Int32Array(capacity);
  const high = new Int32Array(capacity);
  const depth = new Int32Array(capacity);
  const unitOf = new Uint16Array(capacity);
  const firstChild = new Int32Array(capacity + 1);
  const terminal = new Int32Array(capacity).fill(-1);
  high[0] = sorted.length;
  let nodes = 1;
  for (let node = 0; node < nodes; node++) {
    firstChild[node] = nodes;
    const at = depth[node] as number;
    let index = low[node] as number;
    const end = high[node] as number;
    // The pattern that ends here sorts first among those sharing this path.
    if (index < end && (patterns[sorted[index] as number] as string).length === at) {
      terminal[node] = sorted[index++] as number;
    }
    while (index < end) {
      const unit = (patterns[sorted[index] as number] as string).charCodeAt(at);
      let next = index + 1;
      while (next < end && (patterns[sorted[next] as number] as string).charCodeAt(at) === unit)
        next++;
      low[nodes] = index;
      high[nodes] = next;
      depth[nodes] = at + 1;
      unitOf[nodes] = unit;
      nodes++;
      index = next;
    }
  }
  firstChild[nodes] = nodes;
  return { nodes, unitOf, firstChild, terminal };
}

/** Builds the matcher of `patterns` (distinct, non-empty, at most {@link MAX_PATTERN_LENGTH} long). */
export function createMatcher(patterns: readonly string[]): Matcher {
  const { nodes, unitOf, firstChild, terminal } = buildTrie(patterns);

  const child = (node: number, unit: number): number => {
    let low = firstChild[node] as number;
    let high = (firstChild[node + 1] as number) - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = unitOf[middle] as number;
      if (at === unit) return middle;
      if (at < unit) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  };

  // Character classes: the code units of the patterns, 0 for every other; a flag marks the
  // characters that may start an escape sequence.
  const classOf = new Int32Array(65536);
  let classes = 1;
  for (let node = 1; node < nodes; node++) {
    const unit = unitOf[node] as number;
    if (classOf[unit] === 0) classOf[unit] = classes++;
  }
  for (const unit of ESCAPE_STARTS) classOf[unit] = (classOf[unit] as number) | ESCAPE_FLAG;

  // The shallowest nodes (the first ones), where a scan spends nearly all its time, get a dense
  // transition row over the classes, failures resolved: entries are the next node times 2, plus
  // 1 when it reports a match. Deeper nodes keep their edges and failure links.
  const denseCount = Math.min(nodes, Math.max(1, Math.floor(DENSE_CELLS / classes)));
  const dense = new Int32Array(denseCount * classes);
  const fail = new Int32Array(nodes);
  const outputLink = new Int32Array(nodes).fill(-1);
  const reports = new Uint8Array(nodes);
  /** The packed next state from `node` on `unit`. */
  const step = (node: number, unit: number): number => {
    let current = node;
    while (current >= denseCount) {
      const next = child(current, unit);
      if (next >= 0) return next * 2 + (reports[next] as number);
      current = fail[current] as number;
    }
    return dense[current * classes + ((classOf[unit] as number) & CLASS_MASK)] as number;
  };
  // In node order, which is breadth first: a node's failure is shallower, so its row is built.
  for (let node = 0; node < nodes; node++) {
    const from = firstChild[node] as number;
    const to = firstChild[node + 1] as number;
    for (let next = from; next < to; next++) {
      const link = node === 0 ? 0 : step(fail[node] as number, unitOf[next] as number) >>> 1;
      fail[next] = link;
      outputLink[next] = (terminal[link] as number) >= 0 ? link : (outputLink[link] as number);
      reports[next] = (terminal[next] as number) >= 0 || (outputLink[next] as number) >= 0 ? 1 : 0;
    }
    if (node >= denseCount) continue;
    if (node !== 0) {
      const copied = (fail[node] as number) * classes;
      dense.copyWithin(node * classes, copied, copied + classes);
    }
    for (let next = from; next < to; next++) {
      const unitClass = (classOf[unitOf[next] as number] as number) & CLASS_MASK;
      dense[node * classes + unitClass] = next * 2 + (reports[next] as number);
    }
  }

  const lengths = Int32Array.from(patterns, (pattern) => pattern.length);

  /** Reports the patterns ending at `node`, the text offset `end` and the decoded index `decoded`. */
  const report = (
    node: number,
    end: number,
    decoded: number,
    escapes: number,
    escapeAt: Int32Array | undefined,
    escapeExtra: Int32Array | undefined,
    onMatch: MatchListener,
  ): void => {
    let at = (terminal[node] as number) >= 0 ? node : (outputLink[node] as number);
    while (at > 0) {
      const id = terminal[at] as number;
      const length = lengths[id] as number;
      // The start: back by the length, and by what the escapes inside the match add.
      let start = end - length;
      for (let recent = escapes - 1; recent >= 0 && recent >= escapes - RING; recent--) {
        if (((escapeAt as Int32Array)[recent & (RING - 1)] as number) < decoded - length) break;
        start -= (escapeExtra as Int32Array)[recent & (RING - 1)] as number;
      }
      onMatch(id, start, end);
      at = outputLink[at] as number;
    }
  };

  return {
    patternLength: (id) => lengths[id] as number,
    scan(text, from, to, onMatch) {
      let state = 0;
      let decoded = 0;
      let escapes = 0;
      // Decoded index and extra length of the latest escapes, allocated at the first escape.
      let escapeAt: Int32Array | undefined;
      let escapeExtra: Int32Array | undefined;
      for (let index = from; index < to; ) {
        let unit = text.charCodeAt(index);
        let unitClass = classOf[unit] as number;
        // The common case: a plain character from a shallow state.
        if (unitClass < ESCAPE_FLAG && state < denseCount) {
          const packed = dense[state * classes + unitClass] as number;
          index++;
          decoded++;
          state = packed >>> 1;
          if ((packed & 1) === 1) {
            report(state, index, decoded, escapes, escapeAt, escapeExtra, onMatch);
          }
          continue;
        }
        let next = index + 1;
        let low = -1;
        if ((unitClass & ESCAPE_FLAG) !== 0) {
          const packed = decodeEscape(text, index, to);
          if (packed >= 0) {
            const point = packed >>> 4;
            next = index + (packed & 15);
            if (point > 0xffff) {
              unit = 0xd800 + ((point - 0x10000) >> 10);
              low = 0xdc00 + ((point - 0x10000) & 0x3ff);
            } else {
              unit = point;
            }
            unitClass = classOf[unit] as number;
            escapeAt ??= new Int32Array(RING);
            escapeExtra ??= new Int32Array(RING);
            escapeAt[escapes & (RING - 1)] = decoded;
            escapeExtra[escapes & (RING - 1)] = (packed & 15) - (low < 0 ? 1 : 2);
            escapes++;
          }
        }
        index = next;
        for (;;) {
          const packed =
            state < denseCount
              ? (dense[state * classes + (unitClass & CLASS_MASK)] as number)
              : step(state, unit);
          state = packed >>> 1;
          decoded++;
          if ((packed & 1) === 1) {
            report(state, index, decoded, escapes, escapeAt, escapeExtra, onMatch);
          }
          if (low < 0) break;
          unit = low;
          unitClass = classOf[unit] as number;
          low = -1;
        }
      }
    },
  };
}
