import type { Role, Seed, SeedSecret } from '../seed/schema.js';
import { byText, newId, stableId } from './ids.js';
import type {
  AccessToken,
  Environment,
  Folder,
  Identity,
  Project,
  Secret,
  SecretFields,
  SecretImport,
  Tag,
} from './model.js';

/** The part of the state that writes change and `--data` persists. */
export interface PersistedData {
  format: 'infisical-emulator/1';
  projects: Project[];
  environments: Environment[];
  folders: Folder[];
  tags: Tag[];
  secrets: Secret[];
  imports: SecretImport[];
}

/** Splits `/a/b` into its parent path and name; the root has no parent. */
export function splitPath(path: string): { parent: string | null; name: string } {
  if (path === '/') return { parent: null, name: 'root' };
  const index = path.lastIndexOf('/');
  return { parent: index === 0 ? '/' : path.slice(0, index), name: path.slice(index + 1) };
}

/** Normalises a secret path as the server does: trimmed, leading `/`, no trailing `/`. */
export function normalizePath(path: string | undefined): string {
  const trimmed = (path ?? '/').trim();
  const withRoot = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  const collapsed = withRoot.replace(/\/+/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/** In-memory state of the emulator: projects, folders, secrets, imports, identities and tokens. */
export class Store {
  projects = new Map<string, Project>();
  environments = new Map<string, Environment>();
  folders = new Map<string, Folder>();
  tags = new Map<string, Tag>();
  secrets = new Map<string, Secret>();
  imports: SecretImport[] = [];
  identities = new Map<string, Identity>();
  tokens = new Map<string, AccessToken>();

  #foldersByPath = new Map<string, Folder>();
  #secretsByFolder = new Map<string, Secret[]>();

  /** Builds the state a seed describes. */
  static fromSeed(seed: Seed, now = new Date()): Store {
    const store = new Store();
    store.#loadIdentities(seed);
    const at = now.toISOString();
    for (const p of seed.projects) {
      const project: Project = {
        id: p.id ?? stableId('project', p.slug),
        slug: p.slug,
        name: p.name ?? p.slug,
        createdAt: at,
      };
      store.projects.set(project.id, project);
      for (const t of p.tags) store.#ensureTag(project.id, t.slug, t.name, t.color);
      p.environments.forEach((e, position) => {
        const env: Environment = {
          id: stableId('env', project.id, e.slug),
          projectId: project.id,
          slug: e.slug,
          name: e.name ?? e.slug,
          position: position + 1,
          createdAt: at,
          updatedAt: at,
        };
        store.environments.set(env.id, env);
        store.ensureFolder(project.id, env.slug, '/', at);
      });
      for (const e of p.environments) {
        for (const path of e.folders) store.ensureFolder(project.id, e.slug, path, at);
        for (const [path, secrets] of Object.entries(e.secrets)) {
          const folder = store.ensureFolder(project.id, e.slug, path, at);
          for (const [key, def] of Object.entries(secrets))
            store.#seedSecret(folder, key, def, null, at);
        }
        for (const [userName, byPath] of Object.entries(e.personalSecrets)) {
          const user = store.identityByName(userName);
          for (const [path, secrets] of Object.entries(byPath)) {
            const folder = store.ensureFolder(project.id, e.slug, path, at);
            for (const [key, def] of Object.entries(secrets))
              store.#seedSecret(folder, key, def, user?.id ?? null, at);
          }
        }
        for (const [path, list] of Object.entries(e.imports)) {
          const folder = store.ensureFolder(project.id, e.slug, path, at);
          for (const imp of list) {
            store.imports.push({
              id: stableId('import', folder.id, imp.environment, imp.path),
              folderId: folder.id,
              environment: imp.environment,
              path: imp.path,
            });
          }
        }
      }
    }
    store.#loadRoles(seed);
    return store;
  }

  /** Replaces projects, folders, secrets and imports with persisted data, keeping identities. */
  restore(data: PersistedData): void {
    this.projects = new Map(data.projects.map((p) => [p.id, p]));
    this.environments = new Map(data.environments.map((e) => [e.id, e]));
    this.folders = new Map(data.folders.map((f) => [f.id, f]));
    this.tags = new Map(data.tags.map((t) => [t.id, t]));
    this.secrets = new Map(data.secrets.map((s) => [s.id, s]));
    this.imports = data.imports;
    this.#reindex();
  }

  /** The data `--data` persists. */
  toData(): PersistedData {
    return {
      format: 'infisical-emulator/1',
      projects: [...this.projects.values()],
      environments: [...this.environments.values()],
      folders: [...this.folders.values()],
      tags: [...this.tags.values()],
      secrets: [...this.secrets.values()],
      imports: this.imports,
    };
  }

  /** A project by id or slug. */
  project(idOrSlug: string): Project | undefined {
    const byId = this.projects.get(idOrSlug);
    if (byId) return byId;
    for (const project of this.projects.values()) if (project.slug === idOrSlug) return project;
    return undefined;
  }

  /** The environments of a project, by position. */
  projectEnvironments(projectId: string): Environment[] {
    return [...this.environments.values()]
      .filter((env) => env.projectId === projectId)
      .sort((a, b) => a.position - b.position);
  }

  /** An environment of a project by slug. */
  environment(projectId: string, slug: string): Environment | undefined {
    for (const env of this.environments.values())
      if (env.projectId === projectId && env.slug === slug) return env;
    return undefined;
  }

  /** The folder at a path, if it exists. */
  folder(projectId: string, environment: string, path: string): Folder | undefined {
    return this.#foldersByPath.get(folderKey(projectId, environment, path));
  }

  /** The direct sub-folders of a folder, by name. */
  childFolders(folder: Folder): Folder[] {
    return [...this.folders.values()]
      .filter((candidate) => candidate.parentId === folder.id)
      .sort((a, b) => byText(a.name, b.name));
  }

  /** The folder at a path, creating it and its parents when missing. */
  ensureFolder(
    projectId: string,
    environment: string,
    path: string,
    at = new Date().toISOString(),
  ): Folder {
    const existing = this.folder(projectId, environment, path);
    if (existing) return existing;
    const env = this.environment(projectId, environment);
    if (!env) throw new Error(`environment ${environment} does not exist`);
    const { parent, name } = splitPath(path);
    const parentFolder =
      parent === null ? null : this.ensureFolder(projectId, environment, parent, at);
    const folder: Folder = {
      id: stableId('folder', projectId, environment, path),
      projectId,
      envId: env.id,
      environment,
      path,
      name,
      parentId: parentFolder?.id ?? null,
      description: null,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    this.folders.set(folder.id, folder);
    this.#foldersByPath.set(folderKey(projectId, environment, path), folder);
    return folder;
  }

  /** Deletes a folder with everything below it: sub-folders, secrets and imports. */
  deleteFolder(folder: Folder): void {
    for (const child of this.childFolders(folder)) this.deleteFolder(child);
    for (const secret of this.folderSecrets(folder.id)) this.deleteSecret(secret);
    this.imports = this.imports.filter((imp) => imp.folderId !== folder.id);
    this.folders.delete(folder.id);
    this.#foldersByPath.delete(folderKey(folder.projectId, folder.environment, folder.path));
  }

  /** All secrets (shared and personal) stored in a folder. */
  folderSecrets(folderId: string): readonly Secret[] {
    return this.#secretsByFolder.get(folderId) ?? [];
  }

  /** One secret of a folder by key and type; personal secrets belong to `userId`. */
  findSecret(
    folderId: string,
    key: string,
    type: 'shared' | 'personal',
    userId: string | null,
  ): Secret | undefined {
    return this.folderSecrets(folderId).find(
      (s) => s.key === key && s.type === type && (type === 'shared' || s.userId === userId),
    );
  }

  /** Stores a new secret at version 1. */
  createSecret(
    folder: Folder,
    fields: SecretFields,
    type: 'shared' | 'personal',
    userId: string | null,
  ): Secret {
    const at = new Date().toISOString();
    const secret: Secret = {
      ...fields,
      id: newId(),
      projectId: folder.projectId,
      folderId: folder.id,
      type,
      userId: type === 'personal' ? userId : null,
      version: 1,
      createdAt: at,
      updatedAt: at,
      history: [],
    };
    this.secrets.set(secret.id, secret);
    this.#index(secret);
    return secret;
  }

  /** Applies changed fields to a secret as a new version. */
  updateSecret(secret: Secret, changes: Partial<SecretFields>): Secret {
    const {
      history,
      id,
      projectId,
      folderId,
      type,
      userId,
      version,
      createdAt,
      updatedAt,
      ...fields
    } = secret;
    history.push({ ...fields, version, updatedAt });
    Object.assign(secret, changes, { version: version + 1, updatedAt: new Date().toISOString() });
    return secret;
  }

  /** Removes a secret. */
  deleteSecret(secret: Secret): void {
    this.secrets.delete(secret.id);
    const list = this.#secretsByFolder.get(secret.folderId);
    if (list)
      this.#secretsByFolder.set(
        secret.folderId,
        list.filter((s) => s.id !== secret.id),
      );
  }

  /** The imports of a folder, in order. */
  folderImports(folderId: string): SecretImport[] {
    return this.imports.filter((imp) => imp.folderId === folderId);
  }

  /** The tags of a project by slug. */
  tagBySlug(projectId: string, slug: string): Tag | undefined {
    for (const tag of this.tags.values())
      if (tag.projectId === projectId && tag.slug === slug) return tag;
    return undefined;
  }

  /** An identity by name. */
  identityByName(name: string): Identity | undefined {
    for (const identity of this.identities.values()) if (identity.name === name) return identity;
    return undefined;
  }

  /** An identity by its Universal Auth client id. */
  identityByClientId(clientId: string): Identity | undefined {
    for (const identity of this.identities.values())
      if (identity.universalAuth?.clientId === clientId) return identity;
    return undefined;
  }

  #seedSecret(
    folder: Folder,
    key: string,
    def: SeedSecret,
    userId: string | null,
    at: string,
  ): void {
    const full =
      typeof def === 'string'
        ? {
            value: def,
            comment: '',
            tags: [],
            skipMultilineEncoding: false,
            reminderNote: null,
            reminderRepeatDays: null,
            metadata: {},
            previousValues: [],
          }
        : def;
    const fields: SecretFields = {
      key,
      value: full.value,
      comment: full.comment,
      tagIds: full.tags.map((slug) => this.#ensureTag(folder.projectId, slug).id),
      skipMultilineEncoding: full.skipMultilineEncoding,
      reminderNote: full.reminderNote,
      reminderRepeatDays: full.reminderRepeatDays,
      metadata: Object.entries(full.metadata).map(([k, value]) => ({
        key: k,
        value,
        isEncrypted: false,
      })),
    };
    const secret: Secret = {
      ...fields,
      id: stableId('secret', folder.id, key, userId ?? 'shared'),
      projectId: folder.projectId,
      folderId: folder.id,
      type: userId ? 'personal' : 'shared',
      userId,
      version: full.previousValues.length + 1,
      createdAt: at,
      updatedAt: at,
      history: full.previousValues.map((value, i) => ({
        ...fields,
        value,
        version: i + 1,
        updatedAt: at,
      })),
    };
    this.secrets.set(secret.id, secret);
    this.#index(secret);
  }

  #ensureTag(projectId: string, slug: string, name?: string, color?: string): Tag {
    const existing = this.tagBySlug(projectId, slug);
    if (existing) return existing;
    const tag: Tag = {
      id: stableId('tag', projectId, slug),
      projectId,
      slug,
      name: name ?? slug,
      color: color ?? null,
    };
    this.tags.set(tag.id, tag);
    return tag;
  }

  #loadIdentities(seed: Seed): void {
    for (const def of seed.identities) {
      const identity: Identity = {
        id: def.id ?? stableId('identity', def.name),
        name: def.name,
        user: def.user,
        accessTokens: def.accessTokens,
        roles: new Map(),
        ...(def.universalAuth ? { universalAuth: def.universalAuth } : {}),
        ...(def.awsAuth ? { awsAuth: def.awsAuth } : {}),
        ...(def.gcpAuth ? { gcpAuth: def.gcpAuth } : {}),
        ...(def.azureAuth ? { azureAuth: def.azureAuth } : {}),
        ...(def.kubernetesAuth ? { kubernetesAuth: def.kubernetesAuth } : {}),
        ...(def.oidcAuth ? { oidcAuth: def.oidcAuth } : {}),
        ...(def.jwtAuth ? { jwtAuth: def.jwtAuth } : {}),
      };
      this.identities.set(identity.id, identity);
    }
  }

  #loadRoles(seed: Seed): void {
    for (const def of seed.identities) {
      const identity = this.identityByName(def.name);
      if (!identity) continue;
      for (const [projectRef, role] of Object.entries(def.projects) as [string, Role][]) {
        const project = this.project(projectRef);
        if (project) identity.roles.set(project.id, role);
      }
    }
  }

  #index(secret: Secret): void {
    const list = this.#secretsByFolder.get(secret.folderId);
    if (list) list.push(secret);
    else this.#secretsByFolder.set(secret.folderId, [secret]);
  }

  #reindex(): void {
    this.#foldersByPath = new Map(
      [...this.folders.values()].map((folder) => [
        folderKey(folder.projectId, folder.environment, folder.path),
        folder,
      ]),
    );
    this.#secretsByFolder = new Map();
    for (const secret of this.secrets.values()) this.#index(secret);
  }
}

function folderKey(projectId: string, environment: string, path: string): string {
  return `${projectId}\u0000${environment}\u0000${path}`;
}
