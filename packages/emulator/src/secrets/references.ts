/**
 * Secret reference expansion (`${KEY}`, `${env.KEY}`, `${env.a.b.KEY}`), in the two ways the
 * server versions do it:
 *
 * - `cycle-aware` (newest): references match `[\w.-]`; a visited set stops a cycle; a
 *   reference to an existing secret is replaced even when its value is empty; a missing folder
 *   is a missing reference; substitution that forms a new reference is expanded in further passes.
 * - `depth-limited` (2024-10): any `${…}`; no cycle detection, only a depth of 10; only non-empty
 *   values are substituted (`$&` and friends in them are interpreted); a reference into a folder
 *   that does not exist makes the whole expansion fail; and the test "does this value hold
 *   references" uses one global regular expression whose `lastIndex` carries over from one
 *   referenced value to the next, across every expansion of one list. The expansions of a list ran
 *   concurrently there; {@link expandMany} replays that interleaving (a fetch from a folder read
 *   earlier waits a microtask, a first fetch waits for the database), which decides where a
 *   carried-over `lastIndex` cuts a reference chain short.
 *
 * @module secrets/references
 */
import { canonicalPath } from '../state/paths.js';

/** `${KEY}`, `${env.KEY}`, `${env.a.b.KEY}` as the newest server matches them. */
const REFERENCE = /\$\{([\w.-]+)\}/g;
/** References are followed at most this deep. */
export const MAX_REFERENCE_DEPTH = 10;

/** The values of a folder by key, or undefined when the folder does not exist. */
export type ReferenceSource = (
  environment: string,
  path: string,
) => ReadonlyMap<string, string> | undefined;

/** Where a secret lives: its environment, folder path and key. */
export interface SecretLocation {
  environment: string;
  path: string;
  key: string;
}

/** One value to expand, where it lives, and whether a multi-line result is quoted. */
export interface ExpansionItem {
  value: string;
  at: SecretLocation;
  skipMultilineEncoding: boolean;
}

/** A 2024-10 expansion that failed (a reference into a missing folder): a list keeps the stored value, a get answers 500. */
export class ExpansionFailure extends Error {
  constructor() {
    super('reference into a folder that does not exist');
    this.name = 'ExpansionFailure';
  }
}

/** What the expansions of one request share (in 2024-10: the folder cache and the global expression). */
export interface ExpansionState {
  folders: Map<string, ReadonlyMap<string, string> | undefined>;
  pattern: RegExp;
}

/** A fresh state for the expansions of one request. */
export const expansionState = (): ExpansionState => ({
  folders: new Map(),
  pattern: /\$\{([^}]+)\}/g,
});

/** Whether a value holds a newest-syntax reference (cheap test first). */
export const hasReference = (value: string): boolean =>
  value.includes('${') && new RegExp(REFERENCE.source).test(value);

/** The target a reference points at, seen from a secret in `environment` and `path`. */
export function parseReference(inner: string, environment: string, path: string): SecretLocation {
  const parts = inner.trim().split('.');
  if (parts.length === 1) return { environment, path, key: parts[0] as string };
  return {
    environment: parts[0] as string,
    path: canonicalPath(`/${parts.slice(1, -1).join('/')}`),
    key: parts[parts.length - 1] as string,
  };
}

/**
 * Expands several values as one request of the server version does: results in order, an
 * {@link ExpansionFailure} in place of a value whose expansion failed.
 */
export function expandMany(
  kind: 'depth-limited' | 'cycle-aware',
  items: ExpansionItem[],
  source: ReferenceSource,
  state: ExpansionState,
): (string | ExpansionFailure)[] {
  if (kind === 'cycle-aware')
    return items.map((item) =>
      expandCycleAware(item.value, item.at, source, item.skipMultilineEncoding),
    );
  return runConcurrently(items, source, state);
}

const locationId = (l: SecretLocation): string => `${l.environment}:${l.path}:${l.key}`;

function multiline(value: string, skipMultilineEncoding: boolean): string {
  return skipMultilineEncoding && value.includes('\n')
    ? `"${value.replaceAll('\n', '\\n')}"`
    : value;
}

function expandCycleAware(
  value: string,
  at: SecretLocation,
  source: ReferenceSource,
  skipMultilineEncoding: boolean,
): string {
  if (!value || !hasReference(value)) return value;
  let expanded = value;
  const rootFrame = (text: string) => ({
    value: text,
    environment: at.environment,
    path: at.path,
    depth: 0,
    visited: new Set([locationId(at)]),
  });
  const stack = [rootFrame(value)];
  let before = new Set(references(expanded));
  let pass = 0;
  while (stack.length > 0) {
    const frame = stack.pop() as ReturnType<typeof rootFrame>;
    const refs = frame.depth > MAX_REFERENCE_DEPTH ? [] : references(frame.value);
    for (const ref of refs) {
      const target = parseReference(ref.slice(2, -1), frame.environment, frame.path);
      const resolved = source(target.environment, target.path)?.get(target.key);
      const id = locationId(target);
      if (resolved !== undefined && hasReference(resolved) && !frame.visited.has(id)) {
        stack.push({
          value: resolved,
          environment: target.environment,
          path: target.path,
          depth: frame.depth + 1,
          visited: new Set([...frame.visited, id]),
        });
      }
      if (resolved !== undefined) expanded = expanded.replaceAll(ref, () => resolved);
    }
    // Substitution can form a new reference (`${dev.${VENDOR}.KEY}`): rescan the result.
    if (stack.length === 0 && pass < MAX_REFERENCE_DEPTH) {
      const after = references(expanded);
      if (after.some((ref) => !before.has(ref))) {
        before = new Set(after);
        pass++;
        stack.push(rootFrame(expanded));
      }
    }
  }
  return multiline(expanded, skipMultilineEncoding);
}

function references(value: string): string[] {
  return [...value.matchAll(REFERENCE)].map((match) => match[0]);
}

/** `path.join('/', ...parts)` for reference paths: empty parts dropped, `.` and `..` resolved. */
function joinPath(parts: string[]): string {
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** A fetch an expansion waits for. */
interface Fetch {
  environment: string;
  path: string;
  key: string;
}

/** One 2024-10 expansion, pausing at every fetch (where the server awaited). */
function* depthLimited(item: ExpansionItem, pattern: RegExp): Generator<Fetch, string, string> {
  const { value } = item;
  if (!value?.match(pattern)) return value;
  const stack = [{ value, environment: item.at.environment, path: item.at.path, depth: 0 }];
  let expanded = value;
  while (stack.length > 0) {
    const frame = stack.pop() as (typeof stack)[number];
    // A frame past the depth is dropped before `match` resets the expression's `lastIndex`.
    if (frame.depth > MAX_REFERENCE_DEPTH) continue;
    const refs = frame.value.match(pattern);
    if (!refs) continue;
    for (const ref of refs) {
      const entities = ref.slice(2, -1).trim().split('.');
      const local = entities.length === 1;
      const environment = local ? frame.environment : (entities[0] as string);
      const path = local ? frame.path : joinPath(entities.slice(1, -1));
      const referred: string = yield {
        environment,
        path,
        key: entities[entities.length - 1] as string,
      };
      if (pattern.test(referred))
        stack.push({ value: referred, environment, path, depth: frame.depth + 1 });
      // A string pattern with a string replacement: `$&` and friends are interpreted, as there.
      if (referred) expanded = expanded.replaceAll(ref, referred);
    }
  }
  return multiline(expanded, item.skipMultilineEncoding);
}

/**
 * Runs the 2024-10 expansions of one request with the interleaving the server's event loop gave
 * them: each starts in order and runs to its first fetch; a fetch from a folder already read
 * resumes after the other ready expansions (a microtask), a first fetch of a folder waits until
 * no expansion is ready (a database round trip, first asked first answered).
 */
function runConcurrently(
  items: ExpansionItem[],
  source: ReferenceSource,
  state: ExpansionState,
): (string | ExpansionFailure)[] {
  const results: (string | ExpansionFailure)[] = new Array(items.length);
  type Waiting = { index: number; run: Generator<Fetch, string, string>; fetch: Fetch };
  const ready: Waiting[] = [];
  const database: Waiting[] = [];
  const folderKey = (fetch: Fetch) => `${fetch.environment}-${fetch.path}`;
  const settle = (
    index: number,
    run: Generator<Fetch, string, string>,
    step: IteratorResult<Fetch, string>,
  ) => {
    if (step.done) {
      results[index] = step.value;
      return;
    }
    const waiting = { index, run, fetch: step.value };
    const cached = state.folders.get(folderKey(step.value));
    (cached ? ready : database).push(waiting);
  };
  const resume = (waiting: Waiting) => {
    const folder = state.folders.get(folderKey(waiting.fetch));
    let step: IteratorResult<Fetch, string>;
    try {
      if (!folder) throw new ExpansionFailure();
      step = waiting.run.next(folder.get(waiting.fetch.key) ?? '');
    } catch (error) {
      if (!(error instanceof ExpansionFailure)) throw error;
      results[waiting.index] = error;
      return;
    }
    settle(waiting.index, waiting.run, step);
  };
  items.forEach((item, index) => {
    const run = depthLimited(item, state.pattern);
    settle(index, run, run.next());
  });
  while (ready.length > 0 || database.length > 0) {
    while (ready.length > 0) resume(ready.shift() as Waiting);
    const waiting = database.shift();
    if (!waiting) break;
    const key = folderKey(waiting.fetch);
    const folder = source(waiting.fetch.environment, waiting.fetch.path);
    // A missing folder is not cached: the next fetch of it goes to the database again.
    if (folder) state.folders.set(key, folder);
    resume(waiting);
  }
  return results;
}

/**
 * Rewrites references to a renamed secret (`${OLD}` from its own folder, `${env.path.OLD}` from
 * anywhere) to the new name, keeping each reference's syntax. Returns undefined when unchanged.
 */
export function renameReferences(
  value: string,
  holder: { environment: string; path: string },
  renamed: SecretLocation,
  newKey: string,
): string | undefined {
  if (!value.includes('${')) return undefined;
  let changed = false;
  const next = value.replace(REFERENCE, (whole, inner: string) => {
    const target = parseReference(inner, holder.environment, holder.path);
    if (locationId(target) !== locationId(renamed)) return whole;
    changed = true;
    const parts = inner.trim().split('.');
    parts[parts.length - 1] = newKey;
    return `\${${parts.join('.')}}`;
  });
  return changed ? next : undefined;
}
