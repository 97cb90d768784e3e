/**
 * Folder paths as the server normalises them.
 *
 * @module
 */
/** Normalises a folder path as the server does: trimmed, leading `/`, no repeated or trailing `/`. */
export function normalizeSecretPath(path: string): string {
  const rooted = `/${path.trim()}`.replace(/\/+/g, '/');
  return rooted.length > 1 && rooted.endsWith('/') ? rooted.slice(0, -1) : rooted;
}
