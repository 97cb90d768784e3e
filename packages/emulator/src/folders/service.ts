/**
 * Folders as the server manages them: the path lookup every route uses (one trailing slash
 * dropped, a segment other than letters, digits, `-` and `_` a 500 `Find by secret path`),
 * nested creation (missing parents created), rename with the paths below it following, delete
 * with everything below it, list and get by id.
 *
 * @module folders/service
 */
import { authorize, permissionProject, requireMember } from '../auth/permissions.js';
import type { Actor } from '../auth/tokens.js';
import { ApiError, badRequest, notFound, serverError } from '../http/api-error.js';
import type { Clock } from '../state/clock.js';
import { newId } from '../state/ids.js';
import type { Environment, Folder } from '../state/model.js';
import { childPath, isValidFolderName, pathSegments, removeTrailingSlash } from '../state/paths.js';
import { folderRow } from '../state/rows.js';
import type { Store } from '../state/store.js';
import type { Behaviours } from '../versions/behaviours.js';

/** The CASL subject of folder permissions. */
const SUBJECT = 'secret-folders';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a folder request points: project id, environment and parent path (already prefixed with `/`). */
export interface FolderScope {
  projectId: string;
  environment: string;
  path: string;
}

/** Folder operations over the store. */
export class FolderService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #behaviours: Pick<Behaviours, 'createExistingFolder' | 'folderDescription'>;

  constructor(
    store: Store,
    clock: Clock,
    behaviours: Pick<Behaviours, 'createExistingFolder' | 'folderDescription'>,
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#behaviours = behaviours;
  }

  /** The folder at a path, as the server's `findBySecretPath` finds it (500 on a bad segment). */
  find(projectId: string, environment: string, path: string): Folder | undefined {
    const wanted = removeTrailingSlash(path);
    if (pathSegments(wanted).some((segment) => !isValidFolderName(segment)))
      throw serverError('Find by secret path');
    return this.#store.folder(projectId, environment, wanted);
  }

  /**
   * `POST /api/v1/folders`: creates `name` under `path`, and the missing folders of `path`; an
   * existing folder is returned (2024-10) or refused (newer servers).
   */
  create(actor: Actor, scope: FolderScope, name: string, description: string | null): Folder {
    const project = permissionProject(this.#store, scope.projectId);
    authorize(actor, project, 'create', SUBJECT);
    const env = this.#environment(scope, 'Create folder');
    const wanted = joinPath(scope.path, name);
    const segments = pathSegments(wanted);
    if (segments.some((segment) => !isValidFolderName(segment)))
      throw serverError('Find by secret path');
    // The closest existing folder along the path.
    let closest = this.#store.folder(project.id, env.slug, '/') as Folder;
    let at = '/';
    for (const segment of segments) {
      const next = this.#store.folder(project.id, env.slug, childPath(at, segment));
      if (!next) break;
      closest = next;
      at = next.path;
    }
    if (closest.path === wanted) {
      if (this.#behaviours.createExistingFolder === 'return-existing' || wanted === '/')
        return closest;
      throw badRequest(`Folder with name '${name}' already exists in path '${scope.path}'`);
    }
    let parent = closest;
    for (const segment of pathSegments(
      scope.path.slice(closest.path === '/' ? 0 : closest.path.length),
    ))
      parent = this.#insert(env, parent, segment, null);
    return this.#insert(env, parent, name, description);
  }

  /** The root folder of a new environment. */
  createRoot(env: Environment): Folder {
    const root = folderRow(newId(), env, null, 'root', this.#clock.iso());
    this.#store.putFolder(root);
    return root;
  }

  /** `PATCH /api/v1/folders/:folderId`: renames a child of `path` found by id (or, failing that, by name). */
  rename(actor: Actor, scope: FolderScope, ref: string, name: string): Folder {
    const project = permissionProject(this.#store, scope.projectId);
    authorize(actor, project, 'edit', SUBJECT);
    const parent = this.find(project.id, scope.environment, scope.path);
    if (!parent) throw notFound('Secret path not found');
    this.#environment(scope, 'Update folder');
    const children = this.#store.childFolders(parent);
    const folder = UUID.test(ref)
      ? children.find((child) => child.id === ref)
      : children.find((child) => child.name === ref);
    if (!folder) throw notFound('Folder not found');
    if (name !== folder.name && children.some((child) => child.name === name))
      throw badRequest('Folder with specified name already exists', 'Update folder');
    return this.#store.renameFolder(folder, name, this.#clock.iso());
  }

  /** `DELETE /api/v1/folders/:folderIdOrName`: a child of `path`, with everything below it. */
  delete(actor: Actor, scope: FolderScope, ref: string): Folder {
    const project = permissionProject(this.#store, scope.projectId);
    authorize(actor, project, 'delete', SUBJECT);
    this.#environment(scope, 'Create folder');
    const parent = this.find(project.id, scope.environment, scope.path);
    if (!parent) throw notFound('Secret path not found');
    const folder = this.#store
      .childFolders(parent)
      .find((child) => (UUID.test(ref) ? child.id === ref : child.name === ref));
    if (!folder) throw notFound('Folder not found', 'Delete folder');
    this.#store.deleteFolder(folder);
    return folder;
  }

  /** `GET /api/v1/folders`: the children of `path` (none when it does not exist). */
  list(actor: Actor, scope: FolderScope): Folder[] {
    const project = permissionProject(this.#store, scope.projectId);
    requireMember(actor, project);
    this.#environment(scope, 'get folders');
    const parent = this.find(project.id, scope.environment, scope.path);
    return parent ? this.#store.childFolders(parent) : [];
  }

  /** `GET /api/v1/folders/:id`: a folder with its environment and path. */
  byId(actor: Actor, id: string): { folder: Folder; env: Environment } {
    const folder = this.#store.folderById(id);
    if (!folder) throw notFound('Folder not found');
    requireMember(actor, permissionProject(this.#store, folder.projectId));
    return { folder, env: this.#store.environmentById(folder.envId) as Environment };
  }

  /** The folder fields the folder routes answer. */
  view(folder: Folder): Record<string, unknown> {
    return {
      id: folder.id,
      name: folder.name,
      version: folder.version,
      createdAt: folder.createdAt,
      updatedAt: folder.updatedAt,
      envId: folder.envId,
      parentId: folder.parentId,
      isReserved: false,
      ...(this.#behaviours.folderDescription ? { description: folder.description } : {}),
    };
  }

  #environment(scope: FolderScope, errorName: string): Environment {
    const env = this.#store.environment(scope.projectId, scope.environment);
    if (!env) throw new ApiError(404, errorName, 'Environment not found');
    return env;
  }

  #insert(env: Environment, parent: Folder, name: string, description: string | null): Folder {
    const folder = folderRow(newId(), env, parent, name, this.#clock.iso(), description);
    this.#store.putFolder(folder);
    return folder;
  }
}

/** `path.join(parent, name)` as the server joins a folder name to its path. */
function joinPath(parent: string, name: string): string {
  const out: string[] = [];
  for (const part of `${parent}/${name}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}
