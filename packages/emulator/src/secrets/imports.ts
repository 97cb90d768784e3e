import { byText } from '../state/ids.js';
import type { Folder, Secret, SecretImport } from '../state/model.js';
import type { Store } from '../state/store.js';

/** Imports are followed this many levels deep (`LEVEL_BREAK`). */
export const MAX_IMPORT_DEPTH = 10;

/** One direct import of a folder with its secrets, nested imports' secrets appended. */
export interface ResolvedImport {
  environment: string;
  secretPath: string;
  folderId: string;
  secrets: Secret[];
}

/**
 * Resolves a folder's imports as the server does: direct imports in order, each with the shared
 * secrets of the imported folder (by key), then the secrets of that folder's own imports appended
 * level by level up to {@link MAX_IMPORT_DEPTH}; an (environment, path) already visited is skipped,
 * which breaks cycles; imports of folders that do not exist are dropped.
 */
export function resolveImports(store: Store, folder: Folder): ResolvedImport[] {
  const visited = new Set<string>();
  const result: ResolvedImport[] = [];
  let level: { imports: SecretImport[]; sink?: Secret[] }[] = [
    { imports: store.folderImports(folder.id) },
  ];
  for (let depth = 0; depth <= MAX_IMPORT_DEPTH && level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { imports, sink } of level) {
      const batch = new Map<string, SecretImport>();
      for (const imp of imports) {
        const key = `${imp.environment}=${imp.path}`;
        if (!visited.has(key) && !batch.has(key)) batch.set(key, imp);
      }
      for (const key of batch.keys()) visited.add(key);
      for (const imp of batch.values()) {
        const source = store.folder(folder.projectId, imp.environment, imp.path);
        if (!source) continue;
        const secrets = store
          .folderSecrets(source.id)
          .filter((secret) => secret.type === 'shared')
          .sort((a, b) => byText(a.key, b.key));
        const target = sink ?? [];
        target.push(...secrets);
        if (!sink)
          result.push({
            environment: imp.environment,
            secretPath: imp.path,
            folderId: source.id,
            secrets: target,
          });
        const deeper = store.folderImports(source.id);
        if (deeper.length > 0) next.push({ imports: deeper, sink: target });
      }
    }
    level = next;
  }
  return result;
}
