/**
 * Secret imports as `/api/v1/secret-imports` manages them: create at the end (a missing source
 * folder is allowed, a missing source environment is not, and only a direct two-way cycle is
 * refused), list by position, move (the others shift), change the source, delete (the others
 * close up), get by id, and the imported secrets of a folder.
 *
 * @module imports/service
 */
import { authorize, permissionProject } from '../auth/permissions.js';
import type { Actor } from '../auth/tokens.js';
import type { FolderService } from '../folders/service.js';
import { ApiError, badRequest, notFound } from '../http/api-error.js';
import { importedEnvironment, resolveImports } from '../secrets/imports.js';
import type { Clock } from '../state/clock.js';
import { newId } from '../state/ids.js';
import type { Environment, Folder, Project, SecretImport } from '../state/model.js';
import type { Store } from '../state/store.js';
import type { Behaviours } from '../versions/behaviours.js';

/** Where an import request points: the importing folder. */
export interface ImportScope {
  projectId: string;
  environment: string;
  path: string;
}

/** Import management over the store. */
export class ImportService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #folders: FolderService;
  readonly #behaviours: Pick<Behaviours, 'importResolution'>;

  constructor(
    store: Store,
    clock: Clock,
    folders: FolderService,
    behaviours: Pick<Behaviours, 'importResolution'>,
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#folders = folders;
    this.#behaviours = behaviours;
  }

  /** `POST /api/v1/secret-imports`. */
  create(
    actor: Actor,
    scope: ImportScope,
    source: { environment: string; path: string },
  ): SecretImport {
    const project = this.#project(scope.projectId);
    authorize(actor, project, 'create');
    const folder = this.#folder(project, scope, 'Create import');
    this.#sourceEnvironment(project, source.environment);
    this.#refuseCycle(project, folder, source);
    const position =
      this.#store.folderImports(folder.id).reduce((max, imp) => Math.max(max, imp.position), 0) + 1;
    const at = this.#clock.iso();
    const imp: SecretImport = {
      id: newId(),
      folderId: folder.id,
      environment: source.environment,
      path: source.path,
      position,
      createdAt: at,
      updatedAt: at,
    };
    this.#store.putImport(imp);
    return imp;
  }

  /** `PATCH /api/v1/secret-imports/:id`: a new position (the others shift) and/or a new source. */
  update(
    actor: Actor,
    scope: ImportScope,
    id: string,
    change: { environment?: string; path?: string; position?: number },
  ): SecretImport {
    const project = this.#project(scope.projectId);
    authorize(actor, project, 'edit');
    const folder = this.#folder(project, scope, 'Update import');
    const imp = this.#store.importById(id);
    if (!imp || imp.folderId !== folder.id) throw badRequest('Secret import not found');
    const environment = change.environment ?? imp.environment;
    this.#sourceEnvironment(project, environment);
    this.#refuseCycle(project, folder, { environment, path: change.path || imp.path });
    const at = this.#clock.iso();
    // A position of 0 is falsy there: no shifting, the position is simply set.
    if (change.position) {
      const from = imp.position;
      const to = change.position;
      for (const other of this.#store.folderImports(folder.id)) {
        if (other === imp) continue;
        if (to > from && other.position > from && other.position <= to) other.position -= 1;
        else if (to < from && other.position >= to && other.position < from) other.position += 1;
        else continue;
        this.#store.putImport(other);
      }
    }
    if (change.position !== undefined) imp.position = change.position;
    if (change.environment) imp.environment = change.environment;
    if (change.path) imp.path = change.path;
    imp.updatedAt = at;
    this.#store.putImport(imp);
    return imp;
  }

  /** `DELETE /api/v1/secret-imports/:id`: the imports after it move up one. */
  delete(actor: Actor, scope: ImportScope, id: string): SecretImport {
    const project = this.#project(scope.projectId);
    authorize(actor, project, 'delete');
    const folder = this.#folder(project, scope, 'Delete import');
    const imp = this.#store.importById(id);
    if (!imp || imp.folderId !== folder.id) throw notFound('Secret import not found');
    this.#store.deleteImport(imp);
    for (const other of this.#store.folderImports(folder.id)) {
      if (other.position > imp.position) {
        other.position -= 1;
        this.#store.putImport(other);
      }
    }
    return imp;
  }

  /** `GET /api/v1/secret-imports`: the imports of a folder, by position. */
  list(actor: Actor, scope: ImportScope): SecretImport[] {
    const project = this.#project(scope.projectId);
    authorize(actor, project, 'read');
    const folder = this.#folders.find(project.id, scope.environment, scope.path);
    if (!folder) throw notFound('Folder not found');
    return this.#store.folderImports(folder.id);
  }

  /** `GET /api/v1/secret-imports/:id`: one import with the folder it belongs to. */
  byId(
    actor: Actor,
    id: string,
  ): { imp: SecretImport; folder: Folder; env: Environment; project: Project } {
    const imp = this.#store.importById(id);
    if (!imp) throw notFound('Secret import not found');
    const folder = this.#store.folderById(imp.folderId) as Folder;
    const project = this.#project(folder.projectId);
    authorize(actor, project, 'read');
    return { imp, folder, env: this.#store.environmentById(folder.envId) as Environment, project };
  }

  /** `GET /api/v1/secret-imports/secrets/raw`: what the imports of a folder bring (not expanded). */
  secrets(actor: Actor, scope: ImportScope): Record<string, unknown>[] {
    const project = this.#project(scope.projectId);
    authorize(actor, project, 'read');
    const folder = this.#folders.find(project.id, scope.environment, scope.path);
    if (!folder) return [];
    return resolveImports(
      this.#store,
      this.#store.folderImports(folder.id),
      (environment, path) => this.#store.folder(project.id, environment, path),
      this.#behaviours.importResolution,
      false,
    ).map((entry) => {
      const env = this.#store.environment(project.id, entry.environment) as Environment;
      return {
        secretPath: entry.secretPath,
        environment: entry.environment,
        environmentInfo: { id: env.id, name: env.name, slug: env.slug },
        ...(entry.folderId === undefined ? {} : { folderId: entry.folderId }),
        secrets: entry.secrets.map((secret) => ({
          id: secret.id,
          _id: secret.id,
          workspace: '',
          environment: importedEnvironment(this.#store, secret, entry),
          version: secret.version,
          type: secret.type,
          secretKey: secret.key,
          secretValue: secret.value,
          secretComment: secret.comment,
          skipMultilineEncoding: secret.skipMultilineEncoding,
          metadata: null,
          createdAt: secret.createdAt,
          updatedAt: secret.updatedAt,
        })),
      };
    });
  }

  /** An import as the import routes answer it. */
  view(imp: SecretImport): Record<string, unknown> {
    const folder = this.#store.folderById(imp.folderId);
    const env = folder ? this.#store.environment(folder.projectId, imp.environment) : undefined;
    return {
      id: imp.id,
      version: 1,
      importPath: imp.path,
      position: imp.position,
      createdAt: imp.createdAt,
      updatedAt: imp.updatedAt,
      folderId: imp.folderId,
      isReplication: false,
      isReplicationSuccess: null,
      replicationStatus: null,
      lastReplicated: null,
      isReserved: false,
      importEnv: { name: env?.name ?? imp.environment, slug: imp.environment, id: env?.id ?? '' },
    };
  }

  #project(projectId: string): Project {
    return permissionProject(this.#store, projectId);
  }

  #folder(project: Project, scope: ImportScope, errorName: string): Folder {
    const folder = this.#folders.find(project.id, scope.environment, scope.path);
    if (!folder) throw notFound('Folder not found', errorName);
    return folder;
  }

  #sourceEnvironment(project: Project, environment: string): void {
    if (!this.#store.environment(project.id, environment))
      throw new ApiError(404, 'Create import', 'The requested entity is not found');
  }

  /** Refuses an import of a folder that already imports this one (the server's only cycle check). */
  #refuseCycle(
    project: Project,
    folder: Folder,
    source: { environment: string; path: string },
  ): void {
    const sourceFolder = this.#folders.find(project.id, source.environment, source.path);
    if (!sourceFolder) return;
    const back = this.#store
      .folderImports(sourceFolder.id)
      .some((imp) => imp.environment === folder.environment && imp.path === folder.path);
    if (back) throw notFound('Cyclic import not allowed');
  }
}
