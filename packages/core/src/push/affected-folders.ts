/**
 * Which cached folders a change notice (`{ projectId, environment, secretPath }`, from a webhook
 * or the event stream) touches: the folders of that environment and path (and recursive ones
 * holding it), or every cached folder of the project when none matches — the change may reach a
 * cached folder through an import or a reference, which the client cannot see.
 *
 * @module
 */
import type { FolderRef } from '../cache/folder-cache.js';

/** The cached folders to refetch for a change in `environment` at `secretPath` of `projectId`. */
export function affectedFolders(
  tracked: Iterable<FolderRef>,
  projectId: string,
  environment: string,
  secretPath: string,
): FolderRef[] {
  const ofProject = [...tracked].filter((ref) => ref.scope.projectId === projectId);
  const path = secretPath.length > 1 ? secretPath.replace(/\/+$/, '') : secretPath;
  const named = ofProject.filter((ref) => {
    if (ref.scope.environment !== environment) return false;
    if (ref.scope.path === path) return true;
    if (!ref.query.recursive) return false;
    return ref.scope.path === '/' || path.startsWith(`${ref.scope.path}/`);
  });
  return named.length > 0 ? named : ofProject;
}
