/**
 * The canonical precedence rule for one folder's secrets: a local secret wins over an imported
 * one; among imports the last one wins (walked last to first, first key seen kept); a user's
 * personal override replaces the shared value of the same key. This is the server's get-by-name
 * and the dashboard's rule, not the official Node SDK's forward walk.
 *
 * @module
 */
import type { FolderSnapshot, Secret, SecretType } from './types.js';
import { type SecretValues, valueMapOf } from './value-map.js';

/** Merged results per snapshot (snapshots are never mutated). */
const mergedSnapshots = new WeakMap<FolderSnapshot, readonly Secret[]>();

/** The secrets a folder resolves to, one per key, sorted by key (computed once per snapshot). */
export function mergeSnapshot(snapshot: FolderSnapshot): readonly Secret[] {
  let result = mergedSnapshots.get(snapshot);
  if (!result) {
    result = Object.freeze(merge(snapshot));
    mergedSnapshots.set(snapshot, result);
  }
  return result;
}

function merge(snapshot: FolderSnapshot): Secret[] {
  const merged = new Map<string, Secret>();
  // Local rows, nearest folder first (recursive lists): shared first, personal replaces it.
  const local = [...snapshot.secrets].sort((a, b) => depth(a.path) - depth(b.path));
  for (const secret of local) {
    const current = merged.get(secret.key);
    if (
      !current ||
      (secret.type === 'personal' && current.type === 'shared' && current.path === secret.path)
    ) {
      merged.set(secret.key, secret);
    }
  }
  for (let i = snapshot.imports.length - 1; i >= 0; i--) {
    for (const secret of snapshot.imports[i]?.secrets ?? []) {
      if (!merged.has(secret.key)) merged.set(secret.key, secret);
    }
  }
  return [...merged.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

interface SnapshotIndex {
  shared: Map<string, Secret>;
  personal: Map<string, Secret>;
}

/** Lookup tables per snapshot, built on the first read (snapshots are never mutated). */
const indexes = new WeakMap<FolderSnapshot, SnapshotIndex>();

function indexOf(snapshot: FolderSnapshot): SnapshotIndex {
  let index = indexes.get(snapshot);
  if (!index) {
    index = { shared: new Map(), personal: new Map() };
    for (const secret of snapshot.secrets) {
      const table = secret.type === 'personal' ? index.personal : index.shared;
      if (!table.has(secret.key)) table.set(secret.key, secret);
    }
    for (let i = snapshot.imports.length - 1; i >= 0; i--) {
      for (const secret of snapshot.imports[i]?.secrets ?? []) {
        if (!index.shared.has(secret.key)) index.shared.set(secret.key, secret);
      }
    }
    indexes.set(snapshot, index);
  }
  return index;
}

/**
 * One key of a folder by the same rule, `type` choosing the row: `shared` is the folder's own
 * shared secret or else the last import's; `personal` is the caller's own override only.
 */
export function findInSnapshot(
  snapshot: FolderSnapshot,
  key: string,
  type: SecretType,
): Secret | undefined {
  return (type === 'personal' ? indexOf(snapshot).personal : indexOf(snapshot).shared).get(key);
}

/** Value maps per merged list (merged lists are frozen and never mutated). */
const valueMaps = new WeakMap<readonly Secret[], SecretValues>();

/** The key → value map of a folder's merged secrets, built once per snapshot. */
export function snapshotValues(snapshot: FolderSnapshot): SecretValues {
  return secretValues(mergeSnapshot(snapshot));
}

/** The key → value map of secrets (null-prototype, frozen), built once per frozen list. */
export function secretValues(secrets: readonly { key: string; value: string }[]): SecretValues {
  const cached = valueMaps.get(secrets as readonly Secret[]);
  if (cached) return cached;
  const values = valueMapOf(secrets);
  if (Object.isFrozen(secrets)) valueMaps.set(secrets as readonly Secret[], values);
  return values;
}

const depth = (path: string): number => (path === '/' ? 0 : path.split('/').length - 1);
