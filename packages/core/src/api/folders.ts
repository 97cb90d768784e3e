/**
 * The folders endpoints (`/api/v1/folders`) as typed calls over an authenticated request function.
 *
 * @module
 */
import type { ResolvedScope } from '../secrets/types.js';
import type { AuthedRequest } from './secrets.js';

/** A folder as the folder endpoints return it. */
export interface Folder {
  id: string;
  name: string;
  /** Parent folder id; null for the root. */
  parentId?: string | null;
  description?: string | null;
}

/** `GET /api/v1/folders`: the direct sub-folders of a path. */
export async function listFolders(send: AuthedRequest, scope: ResolvedScope): Promise<Folder[]> {
  const res = await send<{ folders: Folder[] }>({
    method: 'GET',
    path: '/api/v1/folders',
    query: { workspaceId: scope.projectId, environment: scope.environment, path: scope.path },
  });
  return res.folders;
}

/** `POST /api/v1/folders`: a folder named `name` under the scope's path. */
export async function createFolder(
  send: AuthedRequest,
  scope: ResolvedScope,
  name: string,
  description?: string,
): Promise<Folder> {
  const res = await send<{ folder: Folder }>({
    method: 'POST',
    path: '/api/v1/folders',
    body: {
      workspaceId: scope.projectId,
      environment: scope.environment,
      path: scope.path,
      name,
      description,
    },
  });
  return res.folder;
}

/** `DELETE /api/v1/folders/:idOrName`: a sub-folder of the scope's path, with everything in it. */
export async function deleteFolder(
  send: AuthedRequest,
  scope: ResolvedScope,
  idOrName: string,
): Promise<Folder> {
  const res = await send<{ folder: Folder }>({
    method: 'DELETE',
    path: `/api/v1/folders/${encodeURIComponent(idOrName)}`,
    body: { workspaceId: scope.projectId, environment: scope.environment, path: scope.path },
  });
  return res.folder;
}
