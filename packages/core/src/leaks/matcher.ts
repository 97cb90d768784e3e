/**
 * A multi-pattern matcher (Aho-Corasick over UTF-16 code units), built once for a set of
 * patterns and run in one pass over a text however many patterns there are. It reads the text
 * through escape sequences ({@link decodeEscape}): patterns are given decoded, and a match
 * reports its start and end offsets in the original text.
 *
 * The automaton is stored in flat typed arrays: a dense transition table over character classes
 * for the shallowest states (where a scan spends nearly all its time) and sorted edge lists with
 * failure links for the deeper ones.
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
  /** Number of distinct patterns. */
  readonly size: number;
  /** Length of pattern `id`, in decoded code units. */
  patternLength(id: number): number;
  /** Reports every occurrence of every pattern in `text` between `from` and `to`. */
  scan(text: string, from: number, to: number, onMatch: MatchListener): void;
}

/** The trie of `patterns`, in depth-first order (node 0 is the root). */
function buildTrie(patterns: readonly string[]): {
  nodes: number;
  parentOf: Int32Array;
  unitOf: Uint16Array;
  terminal: Int32Array;
} {
  const order = patterns.map((_, id) => id);
  order.sort((a, b) => {
    const left = patterns[a] as string;
    const right = patterns[b] as string;
    return left < right ? -1 : left > right ? 1 : 0;
  });
  let capacity = 1;
  for (const pattern of patterns) capacity += pattern.length;
  const parentOf = new Int32Array(capacity);
  const unitOf = new Uint16Array(capacity);
  const terminal = new Int32Array(capacity).fill(-1);
  const path = new Int32Array(MAX_PATTERN_LENGTH + 1);
  let nodes = 1;
  let previous = '';
  for (const id of order) {
    const pattern = patterns[id] as string;
    let shared = 0;
    const most = Math.min(pattern.length, previous.length);
    while (shared < most && pattern.charCodeAt(shared) === previous.charCodeAt(shared)) shared++;
    let node = path[shared] as number;
    for (let depth = shared; depth < pattern.length; depth++) {
      parentOf[nodes] = node;
      unitOf[nodes] = pattern.charCodeAt(depth);
      node = nodes++;
      path[depth + 1] = node;
    }
    terminal[node] = id;
    previous = pattern;
  }
  return { nodes, parentOf, unitOf, terminal };
}

/** Builds the matcher of `patterns` (distinct, non-empty, at most {@link MAX_PATTERN_LENGTH} long). */
export function createMatcher(patterns: readonly string[]): Matcher {
  const { nodes, parentOf, unitOf, terminal } = buildTrie(patterns);

  // Edges grouped by parent; the sorted insertion keeps each group sorted by code unit.
  const edgeStart = new Int32Array(nodes + 1);
  for (let node = 1; node < nodes; node++) {
    const parent = parentOf[node] as number;
    edgeStart[parent + 1] = (edgeStart[parent + 1] as number) + 1;
  }
  for (let node = 0; node < nodes; node++) {
    edgeStart[node + 1] = (edgeStart[node + 1] as number) + (edgeStart[node] as number);
  }
  const edgeUnit = new Uint16Array(Math.max(nodes - 1, 0));
  const edgeTarget = new Int32Array(Math.max(nodes - 1, 0));
  const fill = edgeStart.slice(0, nodes);
  for (let node = 1; node < nodes; node++) {
    const parent = parentOf[node] as number;
    const slot = fill[parent] as number;
    fill[parent] = slot + 1;
    edgeUnit[slot] = unitOf[node] as number;
    edgeTarget[slot] = node;
  }

  const child = (node: number, unit: number): number => {
    let low = edgeStart[node] as number;
    let high = (edgeStart[node + 1] as number) - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = edgeUnit[middle] as number;
      if (at === unit) return edgeTarget[middle] as number;
      if (at < unit) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  };

  // Character classes: the code units of the patterns, 0 for every other; a flag marks the
  // characters that may start an escape sequence.
  const classOf = new Int32Array(65536);
  let classes = 1;
  for (let edge = 0; edge < edgeUnit.length; edge++) {
    const unit = edgeUnit[edge] as number;
    if (classOf[unit] === 0) classOf[unit] = classes++;
  }
  for (const unit of ESCAPE_STARTS) classOf[unit] = (classOf[unit] as number) | ESCAPE_FLAG;

  // Breadth-first order. The shallowest states, where a scan spends nearly all its time, get a
  // dense transition row over the classes (failures resolved); deeper ones keep their edges.
  // States are row numbers for the nodes with a row, and denseCount + node for the others.
  const queue = new Int32Array(nodes);
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const node = queue[head] as number;
    for (let edge = edgeStart[node] as number; edge < (edgeStart[node + 1] as number); edge++) {
      queue[tail++] = edgeTarget[edge] as number;
    }
  }
  const denseCount = Math.min(nodes, Math.max(1, Math.floor(DENSE_CELLS / classes)));
  const rowOf = new Int32Array(nodes).fill(-1);
  const nodeOfRow = queue.slice(0, denseCount);
  for (let row = 0; row < denseCount; row++) rowOf[nodeOfRow[row] as number] = row;

  // Failure links, the nearest node with an output on each failure chain, and the rows, all in
  // breadth-first order: a node's failure is shallower, so its row is already built.
  const fail = new Int32Array(nodes);
  const outputLink = new Int32Array(nodes).fill(-1);
  const reports = new Uint8Array(nodes);
  const dense = new Int32Array(denseCount * classes);
  const stateOf = (node: number): number => {
    const row = rowOf[node] as number;
    return (row >= 0 ? row : denseCount + node) * 2 + (reports[node] as number);
  };
  const nodeOf = (state: number): number =>
    state < denseCount ? (nodeOfRow[state] as number) : state - denseCount;
  /** The packed next state from `node`, which has no dense row. */
  const sparseStep = (node: number, unit: number): number => {
    let current = node;
    while ((rowOf[current] as number) < 0) {
      const next = child(current, unit);
      if (next >= 0) return stateOf(next);
      current = fail[current] as number;
    }
    return dense[
      (rowOf[current] as number) * classes + ((classOf[unit] as number) & CLASS_MASK)
    ] as number;
  };
  for (let head = 0; head < nodes; head++) {
    const node = queue[head] as number;
    for (let edge = edgeStart[node] as number; edge < (edgeStart[node + 1] as number); edge++) {
      const next = edgeTarget[edge] as number;
      const link =
        node === 0
          ? 0
          : nodeOf(sparseOrDense(fail[node] as number, edgeUnit[edge] as number) >>> 1);
      fail[next] = link;
      outputLink[next] = (terminal[link] as number) >= 0 ? link : (outputLink[link] as number);
      reports[next] = (terminal[next] as number) >= 0 || (outputLink[next] as number) >= 0 ? 1 : 0;
    }
    const row = rowOf[node] as number;
    if (row < 0) continue;
    if (node !== 0) {
      const from = (rowOf[fail[node] as number] as number) * classes;
      dense.copyWithin(row * classes, from, from + classes);
    }
    for (let edge = edgeStart[node] as number; edge < (edgeStart[node + 1] as number); edge++) {
      const unitClass = (classOf[edgeUnit[edge] as number] as number) & CLASS_MASK;
      dense[row * classes + unitClass] = stateOf(edgeTarget[edge] as number);
    }
  }
  function sparseOrDense(node: number, unit: number): number {
    const row = rowOf[node] as number;
    return row >= 0
      ? (dense[row * classes + ((classOf[unit] as number) & CLASS_MASK)] as number)
      : sparseStep(node, unit);
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
    size: patterns.length,
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
              : sparseStep(state - denseCount, unit);
          state = packed >>> 1;
          decoded++;
          if ((packed & 1) === 1) {
            report(nodeOf(state), index, decoded, escapes, escapeAt, escapeExtra, onMatch);
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
