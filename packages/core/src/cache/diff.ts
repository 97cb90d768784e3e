/**
 * What changed between two snapshots of secrets, by key.
 *
 * @module
 */

/** Keys added, changed and removed between two snapshots; each list sorted. */
export interface SnapshotDiff {
  /** Keys only in the next snapshot. */
  added: string[];
  /** Keys in both snapshots, with a different value. */
  changed: string[];
  /** Keys only in the previous snapshot. */
  removed: string[];
}

/** Compares two key → value snapshots. Only keys are returned, never values. */
export function diffSnapshots(
  previous: Readonly<Record<string, string>>,
  next: Readonly<Record<string, string>>,
): SnapshotDiff {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const key of Object.keys(next)) {
    if (!Object.hasOwn(previous, key)) added.push(key);
    else if (previous[key] !== next[key]) changed.push(key);
  }
  for (const key of Object.keys(previous)) {
    if (!Object.hasOwn(next, key)) removed.push(key);
  }
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

/** Whether a {@link SnapshotDiff} has any added, changed or removed key. */
export function hasChanges(diff: SnapshotDiff): boolean {
  return diff.added.length > 0 || diff.changed.length > 0 || diff.removed.length > 0;
}
