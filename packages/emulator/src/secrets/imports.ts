/**
 * Which secrets a folder's imports bring (`imports[]` of a list, the fallback of a get), in the
 * two ways the server versions compute it:
 *
 * - `stack-walk` (newest servers): imports followed with a stack, level by level, to a depth of 10; an (environment,
 *   path) seen at an earlier level is skipped (cycles end); a missing source gives an entry
 *   without secrets; secrets by key; the secrets of an import of an imported folder appended to
 *   the entry of the direct import, but those two or more levels down lost (the server appends
 *   them to a list it has already copied).
 * - `recursive-first-import` (2024-10): the same walk done recursively, but secrets by row id and always de-duplicated by
 *   key; of an imported folder's own imports only the first is followed; and a missing source
 *   shifts the secrets (and `folderId`) of the imports after it by one, as the server's index
 *   over the filtered folder list did.
 *
 * @module secrets/imports
 */
import type { Folder, Secret, SecretImport } from '../state/model.js';
import type { Store } from '../state/store.js';

/** Imports are followed this many levels deep (`LEVEL_BREAK`). */
export const MAX_IMPORT_DEPTH = 10;

/** One direct import of a folder with the secrets it brings. */
export interface ResolvedImport {
  import: SecretImport;
  environment: string;
  secretPath: string;
  /** The imported folder's id, as the server reports it (absent for a missing source). */
  folderId: string | undefined;
  secrets: Secret[];
}

/** Looks a folder up by environment and path, as the server does for import sources. */
export type FolderLookup = (environment: string, path: string) => Folder | undefined;

const importKey = (imp: SecretImport): string => `${imp.environment}=${imp.path}`;

/** The environment an imported secret is listed with: its own folder's (nested imports keep theirs). */
export function importedEnvironment(store: Store, secret: Secret, entry: ResolvedImport): string {
  return store.folderById(secret.folderId)?.environment ?? entry.environment;
}

/** The secrets of the given imports (of one folder, or of every folder of a recursive list). */
export function resolveImports(
  store: Store,
  imports: SecretImport[],
  lookup: FolderLookup,
  kind: 'recursive-first-import' | 'stack-walk',
  dedupe: boolean,
): ResolvedImport[] {
  if (kind === 'recursive-first-import')
    return resolveRecursive(store, imports, lookup, 0, new Set());
  const resolved = resolveStackWalk(store, imports, lookup);
  if (dedupe) for (const entry of resolved) entry.secrets = uniqueByKey(entry.secrets);
  return resolved;
}

function sharedSecrets(store: Store, folderId: string, order: 'id' | 'key'): Secret[] {
  return store.folderSecrets(folderId, order).filter((secret) => secret.type === 'shared');
}

function uniqueByKey(secrets: Secret[]): Secret[] {
  const seen = new Set<string>();
  return secrets.filter((secret) => !seen.has(secret.key) && seen.add(secret.key));
}

function resolveRecursive(
  store: Store,
  candidates: SecretImport[],
  lookup: FolderLookup,
  depth: number,
  visited: Set<string>,
): ResolvedImport[] {
  if (depth >= MAX_IMPORT_DEPTH) return [];
  const allowed = candidates.filter((imp) => !visited.has(importKey(imp)));
  const found = allowed.map((imp) => lookup(imp.environment, imp.path));
  const folders = found.filter((folder): folder is Folder => folder !== undefined);
  if (folders.length === 0) return [];
  for (const imp of allowed) visited.add(importKey(imp));
  const deeper = [...new Set(folders)].flatMap((folder) => store.folderImports(folder.id));
  const deeperResolved =
    deeper.length > 0 ? resolveRecursive(store, deeper, lookup, depth + 1, visited) : [];
  return allowed.map((imp, i) => {
    const source = found[i];
    // Only the first resolved import of the imported folder is followed.
    const nested = source
      ? (deeperResolved.find((entry) => entry.import.folderId === source.id)?.secrets ?? [])
      : [];
    // The server indexed the filtered folder list with the import's position in the unfiltered one.
    const shifted = folders[i];
    const own = shifted ? sharedSecrets(store, shifted.id, 'id') : [];
    return {
      import: imp,
      environment: imp.environment,
      secretPath: imp.path,
      folderId: shifted?.id,
      secrets: uniqueByKey([...own, ...nested]),
    };
  });
}

function resolveStackWalk(
  store: Store,
  roots: SecretImport[],
  lookup: FolderLookup,
): ResolvedImport[] {
  const visited = new Set<string>();
  const processed: ResolvedImport[] = [];
  const stack: { imports: SecretImport[]; depth: number; sink: Secret[] | undefined }[] = [
    { imports: roots, depth: 0, sink: undefined },
  ];
  while (stack.length > 0) {
    const { imports, depth, sink } = stack.pop() as (typeof stack)[number];
    if (depth > MAX_IMPORT_DEPTH) continue;
    const level = imports.filter((imp) => !visited.has(importKey(imp)));
    if (level.length === 0) continue;
    const found = level.map((imp) => lookup(imp.environment, imp.path));
    if (found.every((folder) => folder === undefined)) continue;
    for (const imp of level) visited.add(importKey(imp));
    const first = processed.length === 0;
    level.forEach((imp, i) => {
      const source = found[i];
      const secrets = source ? sharedSecrets(store, source.id, 'key') : [];
      const deeper = source ? store.folderImports(source.id) : [];
      if (deeper.length > 0) stack.push({ imports: deeper, depth: depth + 1, sink: secrets });
      if (first) {
        processed.push({
          import: imp,
          environment: imp.environment,
          secretPath: imp.path,
          folderId: source?.id,
          secrets,
        });
      } else sink?.push(...secrets);
    });
  }
  return processed;
}
