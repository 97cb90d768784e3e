/**
 * The tag filter the server leaves undone: Infisical applies `tagSlugs` to a folder's own
 * secrets but not to `imports[]` (capture `list-secrets-tagslugs-with-imports.json`, in 2024-10
 * and, as far as its source shows, in the newest server), so an untagged imported secret would
 * replace a local one the filter removed. Imported secrets are kept only when they carry one of
 * the tags; 2024-10 sends imported secrets without tags, so there a tag filter keeps none.
 *
 * @module
 */
import type { FolderSnapshot, Secret } from './types.js';

/** `snapshot` with only the imported secrets that carry one of `tagSlugs` (an empty list filters nothing). */
export function withTaggedImportsOnly(
  snapshot: FolderSnapshot,
  tagSlugs: readonly string[],
): FolderSnapshot {
  if (tagSlugs.length === 0 || snapshot.imports.length === 0) return snapshot;
  const wanted = new Set(tagSlugs);
  const tagged = (secret: Secret): boolean => secret.tags.some((tag) => wanted.has(tag));
  return {
    secrets: snapshot.secrets,
    imports: snapshot.imports.map((imported) => ({
      ...imported,
      secrets: imported.secrets.filter(tagged),
    })),
  };
}
