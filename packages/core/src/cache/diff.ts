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

/**
 * Compares two lists sorted by key (as `mergeSnapshot` returns them) in one walk, without
 * building a map of either: the refresh path's diff.
 */
export function diffSorted(
  previous: readonly { key: string; value: string }[],
  next: readonly { key: string; value: string }[],
): SnapshotDiff {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  let i = 0;
  let j = 0;
  while (i < previous.length || j < next.length) {
    const before = previous[i];
    const after = next[j];
    if (after === undefined || (before !== undefined && before.key < after.key)) {
      removed.push((before as { key: string }).key);
      i++;
    } else if (before === undefined || after.key < before.key) {
      added.push(after.key);
      j++;
    } else {
      if (before.value !== after.value) changed.push(before.key);
      i++;
      j++;
    }
  }
  return { added, changed, removed };
}

/** Whether a {@link SnapshotDiff} has any added, changed or removed key. */
export function hasChanges(diff: SnapshotDiff): boolean {
  return diff.added.length > 0 || diff.changed.length > 0 || diff.removed.length > 0;
}
