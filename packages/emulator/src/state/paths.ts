/**
 * Folder paths as the server handles them: no normalisation beyond dropping one trailing slash,
 * and folder names limited to letters, digits, `-` and `_` wherever a path is looked up.
 *
 * @module state/paths
 */

/** Drops one trailing slash, as the server's `removeTrailingSlash` (the root stays `/`). */
export function removeTrailingSlash(path: string): string {
  if (path === '/') return path;
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Adds a leading slash when missing (the folder routes do this; the secret routes do not). */
export function prefixWithSlash(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

/** The non-empty segments of a path. */
export function pathSegments(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/** Whether a folder name is one the server's path lookup accepts. */
export function isValidFolderName(name: string): boolean {
  return /^[a-zA-Z0-9_-]+$/.test(name);
}

/** Joins a parent path and a child name (`/` + `a` is `/a`, `/a` + `b` is `/a/b`). */
export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** The parent path of a folder path; the root has none. */
export function parentPath(path: string): string | null {
  if (path === '/') return null;
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

/** A canonical folder path for seeds and the control API: leading `/`, no empty or trailing parts. */
export function canonicalPath(path: string | undefined): string {
  const segments = pathSegments((path ?? '/').trim());
  return segments.length === 0 ? '/' : `/${segments.join('/')}`;
}
