/**
 * The emulator's state, private behind its methods: projects, environments, folders, tags,
 * secrets, imports, identities, client secrets and tokens, with the indexes that keep every
 * lookup constant-time. Every change to persisted data is announced to listeners (which is what
 * `--data` persistence hangs off).
 *
 * @module state/store
 */

import type {
  AccessToken,
  ClientSecret,
  Environment,
  Folder,
  Identity,
  Project,
  Secret,
  SecretFields,
  SecretImport,
  Tag,
} from './model.js';
import { childPath } from './paths.js';
import { versionRow } from './rows.js';

/** The tables `--data` persists. */
export interface PersistedTables {
  projects: Project[];
  environments: Environment[];
  folders: Folder[];
  tags: Tag[];
  secrets: Secret[];
  imports: SecretImport[];
  clientSecrets: ClientSecret[];
}

/** The name of a persisted table. */
export type TableName = keyof PersistedTables;

/** Saved tables to start from; without `clientSecrets` (a first-format file) the seed's stay. */
export type SavedTables = Omit<PersistedTables, 'clientSecrets'> & {
  clientSecrets?: ClientSecret[];
};

/** One change to persisted data: a row written (whole) or removed. */
export type StoreChange =
  | { op: 'put'; table: TableName; row: PersistedTables[TableName][number] }
  | { op: 'delete'; table: TableName; id: string };

/** Orders a folder's secrets can be read in. */
export type SecretOrder = 'id' | 'key';

interface FolderSecrets {
  rows: Map<string, Secret>;
  /** `type \0 user \0 key` → rows, oldest first (a batch create can store one key twice). */
  byLookup: Map<string, Secret[]>;
  /** key → every row with it (shared and personal), oldest first. */
  byKey: Map<string, Secret[]>;
  sorted: Partial<Record<SecretOrder, readonly Secret[]>>;
}

/** Orders strings by UTF-16 code units, as the server's `ORDER BY` on ids and keys does here. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const lookupKey = (type: string, userId: string | null, key: string): string =>
  `${type}\u0000${userId ?? ''}\u0000${key}`;
const folderKey = (projectId: string, environment: string, path: string): string =>
  `${projectId}\u0000${environment}\u0000${path}`;
const envKey = (projectId: string, slug: string): string => `${projectId}\u0000${slug}`;

/** The issued access tokens, by id. */
export class TokenTable {
  readonly #tokens = new Map<string, AccessToken>();

  /** Keeps an issued token. */
  put(token: AccessToken): void {
    this.#tokens.set(token.id, token);
  }

  /** A token by id. */
  get(id: string): AccessToken | undefined {
    return this.#tokens.get(id);
  }

  /** Forgets a token. */
  delete(id: string): void {
    this.#tokens.delete(id);
  }

  /** Forgets every token: each issued one is unknown from now on. */
  clear(): void {
    this.#tokens.clear();
  }
}

function removeFrom(index: Map<string, Secret[]>, key: string, secret: Secret): void {
  const rows = index.get(key);
  if (!rows) return;
  const rest = rows.length === 1 ? [] : rows.filter((candidate) => candidate !== secret);
  if (rest.length > 0) index.set(key, rest);
  else index.delete(key);
}

/** In-memory state of the emulator. */
export class Store {
  readonly #projects = new Map<string, Project>();
  readonly #projectsBySlug = new Map<string, Project>();
  readonly #environments = new Map<string, Environment>();
  readonly #environmentsByKey = new Map<string, Environment>();
  readonly #folders = new Map<string, Folder>();
  readonly #foldersByPath = new Map<string, Folder>();
  readonly #children = new Map<string, Set<Folder>>();
  readonly #tags = new Map<string, Tag>();
  readonly #secrets = new Map<string, Secret>();
  readonly #folderSecrets = new Map<string, FolderSecrets>();
  readonly #imports = new Map<string, SecretImport>();
  readonly #folderImports = new Map<string, Set<SecretImport>>();
  readonly #identities = new Map<string, Identity>();
  readonly #identitiesByName = new Map<string, Identity>();
  readonly #identitiesByClientId = new Map<string, Identity>();
  readonly #clientSecrets = new Map<string, ClientSecret>();
  /** Issued access tokens (in memory only; `clear()` makes every issued token unknown). */
  readonly tokens: TokenTable = new TokenTable();
  readonly #listeners: ((change: StoreChange) => void)[] = [];
  #revision = 0;

  /** Calls `listener` after every change to persisted data. */
  onChange(listener: (change: StoreChange) => void): void {
    this.#listeners.push(listener);
  }

  #emit(change: StoreChange): void {
    this.#revision++;
    for (const listener of this.#listeners) listener(change);
  }

  /** Grows with every change to persisted data: what is built from the store holds until it moves. */
  get revision(): number {
    return this.#revision;
  }

  // ---- projects and environments ----

  /** Adds or replaces a project. */
  putProject(project: Project): void {
    const old = this.#projects.get(project.id);
    if (old) this.#projectsBySlug.delete(old.slug);
    this.#projects.set(project.id, project);
    this.#projectsBySlug.set(project.slug, project);
    this.#emit({ op: 'put', table: 'projects', row: project });
  }

  /** A project by id (never by slug: the server does not accept one for the other). */
  project(id: string): Project | undefined {
    return this.#projects.get(id);
  }

  /** A project by slug. */
  projectBySlug(slug: string): Project | undefined {
    return this.#projectsBySlug.get(slug);
  }

  /** Every project. */
  projects(): IterableIterator<Project> {
    return this.#projects.values();
  }

  /** Adds or replaces an environment. */
  putEnvironment(env: Environment): void {
    this.#environments.set(env.id, env);
    this.#environmentsByKey.set(envKey(env.projectId, env.slug), env);
    this.#emit({ op: 'put', table: 'environments', row: env });
  }

  /** The environments of a project, by position. */
  projectEnvironments(projectId: string): Environment[] {
    return [...this.#environments.values()]
      .filter((env) => env.projectId === projectId)
      .sort((a, b) => a.position - b.position);
  }

  /** An environment of a project by slug. */
  environment(projectId: string, slug: string): Environment | undefined {
    return this.#environmentsByKey.get(envKey(projectId, slug));
  }

  /** An environment by id. */
  environmentById(id: string): Environment | undefined {
    return this.#environments.get(id);
  }

  // ---- folders ----

  /** Adds or replaces a folder (its parent must exist already). */
  putFolder(folder: Folder): void {
    const old = this.#folders.get(folder.id);
    if (old) this.#unindexFolder(old);
    this.#folders.set(folder.id, folder);
    this.#foldersByPath.set(folderKey(folder.projectId, folder.environment, folder.path), folder);
    if (folder.parentId !== null) {
      const siblings = this.#children.get(folder.parentId);
      if (siblings) siblings.add(folder);
      else this.#children.set(folder.parentId, new Set([folder]));
    }
    this.#emit({ op: 'put', table: 'folders', row: folder });
  }

  /** The folder at an exact path, if any. */
  folder(projectId: string, environment: string, path: string): Folder | undefined {
    return this.#foldersByPath.get(folderKey(projectId, environment, path));
  }

  /** A folder by id. */
  folderById(id: string): Folder | undefined {
    return this.#folders.get(id);
  }

  /** The direct sub-folders of a folder, in creation order. */
  childFolders(folder: Folder): Folder[] {
    return [...(this.#children.get(folder.id) ?? [])];
  }

  /** A folder and everything below it, parents before children. */
  subtree(folder: Folder): Folder[] {
    const out = [folder];
    for (let i = 0; i < out.length; i++) out.push(...this.childFolders(out[i] as Folder));
    return out;
  }

  /** Renames a folder as a new version; the paths below it follow. */
  renameFolder(folder: Folder, name: string, at: string): Folder {
    const parent = folder.parentId === null ? undefined : this.#folders.get(folder.parentId);
    const subtree = this.subtree(folder);
    for (const member of subtree) this.#unindexFolder(member);
    folder.name = name;
    folder.version += 1;
    folder.updatedAt = at;
    folder.path = parent ? childPath(parent.path, name) : '/';
    for (const member of subtree) {
      if (member !== folder) {
        const up = this.#folders.get(member.parentId as string) as Folder;
        member.path = childPath(up.path, member.name);
      }
      this.putFolder(member);
    }
    return folder;
  }

  /** Deletes a folder with everything below it: sub-folders, secrets and imports. */
  deleteFolder(folder: Folder): void {
    for (const member of this.subtree(folder).reverse()) {
      for (const secret of [...(this.#folderSecrets.get(member.id)?.rows.values() ?? [])])
        this.deleteSecret(secret);
      for (const imp of [...(this.#folderImports.get(member.id) ?? [])]) this.deleteImport(imp);
      this.#unindexFolder(member);
      this.#folders.delete(member.id);
      this.#folderSecrets.delete(member.id);
      this.#emit({ op: 'delete', table: 'folders', id: member.id });
    }
  }

  #unindexFolder(folder: Folder): void {
    const key = folderKey(folder.projectId, folder.environment, folder.path);
    if (this.#foldersByPath.get(key) === folder) this.#foldersByPath.delete(key);
    if (folder.parentId !== null) this.#children.get(folder.parentId)?.delete(folder);
  }

  // ---- secrets ----

  /** Adds a secret row (a new id). */
  insertSecret(secret: Secret): Secret {
    this.#secrets.set(secret.id, secret);
    const bucket = this.#bucket(secret.folderId);
    bucket.rows.set(secret.id, secret);
    this.#addLookups(bucket, secret);
    if (bucket.sorted.id || bucket.sorted.key) bucket.sorted = {};
    this.#emit({ op: 'put', table: 'secrets', row: secret });
    return secret;
  }

  /** A secret by id. */
  secretById(id: string): Secret | undefined {
    return this.#secrets.get(id);
  }

  /** The rows of a folder (shared and personal), in the asked order; the array must not be changed. */
  folderSecrets(folderId: string, order: SecretOrder): readonly Secret[] {
    const bucket = this.#folderSecrets.get(folderId);
    if (!bucket) return [];
    const cached = bucket.sorted[order];
    if (cached) return cached;
    const rows = [...bucket.rows.values()];
    rows.sort(
      order === 'id'
        ? (a, b) => byText(a.id, b.id)
        : (a, b) => byText(a.key, b.key) || byText(a.type, b.type) || byText(a.id, b.id),
    );
    bucket.sorted[order] = rows;
    return rows;
  }

  /** Every row of a folder with a key (shared and personal), oldest first. */
  secretsWithKey(folderId: string, key: string): Secret[] {
    return [...(this.#folderSecrets.get(folderId)?.byKey.get(key) ?? [])];
  }

  /** How many rows a folder holds. */
  folderSecretCount(folderId: string): number {
    return this.#folderSecrets.get(folderId)?.rows.size ?? 0;
  }

  /** The rows of a folder with a key and type (personal ones of `userId`), oldest first. */
  findSecrets(
    folderId: string,
    key: string,
    type: 'shared' | 'personal',
    userId: string | null,
  ): readonly Secret[] {
    return (
      this.#folderSecrets
        .get(folderId)
        ?.byLookup.get(lookupKey(type, type === 'personal' ? userId : null, key)) ?? []
    );
  }

  /** The first row of a folder with a key and type. */
  findSecret(
    folderId: string,
    key: string,
    type: 'shared' | 'personal',
    userId: string | null,
  ): Secret | undefined {
    return this.findSecrets(folderId, key, type, userId)[0];
  }

  /** Applies changed fields to a secret as a new version (the key may change). */
  updateSecret(secret: Secret, changes: Partial<SecretFields>, at: string): Secret {
    secret.history.push(versionRow(secret, secret.version, secret.updatedAt));
    const version = secret.version;
    const rekey = changes.key !== undefined && changes.key !== secret.key;
    if (rekey) this.#unlookup(secret);
    Object.assign(secret, changes);
    secret.version = version + 1;
    secret.updatedAt = at;
    if (rekey) this.#addLookups(this.#bucket(secret.folderId), secret);
    const bucket = this.#folderSecrets.get(secret.folderId);
    if (bucket && rekey) delete bucket.sorted.key;
    this.#emit({ op: 'put', table: 'secrets', row: secret });
    return secret;
  }

  /** Changes a secret's tags without a new version (as deleting a tag does). */
  setSecretTags(secret: Secret, tagIds: string[]): void {
    secret.tagIds = tagIds;
    this.#emit({ op: 'put', table: 'secrets', row: secret });
  }

  /** Removes a secret row. */
  deleteSecret(secret: Secret): void {
    if (!this.#secrets.delete(secret.id)) return;
    const bucket = this.#folderSecrets.get(secret.folderId);
    if (bucket) {
      bucket.rows.delete(secret.id);
      this.#unlookup(secret);
      if (bucket.sorted.id || bucket.sorted.key) bucket.sorted = {};
    }
    this.#emit({ op: 'delete', table: 'secrets', id: secret.id });
  }

  /** Every secret of a project. */
  *projectSecrets(projectId: string): IterableIterator<Secret> {
    for (const secret of this.#secrets.values()) if (secret.projectId === projectId) yield secret;
  }

  #bucket(folderId: string): FolderSecrets {
    let bucket = this.#folderSecrets.get(folderId);
    if (!bucket) {
      bucket = { rows: new Map(), byLookup: new Map(), byKey: new Map(), sorted: {} };
      this.#folderSecrets.set(folderId, bucket);
    }
    return bucket;
  }

  #addLookups(bucket: FolderSecrets, secret: Secret): void {
    const key = lookupKey(secret.type, secret.userId, secret.key);
    const same = bucket.byLookup.get(key);
    if (same) same.push(secret);
    else bucket.byLookup.set(key, [secret]);
    const sameKey = bucket.byKey.get(secret.key);
    if (sameKey) sameKey.push(secret);
    else bucket.byKey.set(secret.key, [secret]);
  }

  #unlookup(secret: Secret): void {
    const bucket = this.#folderSecrets.get(secret.folderId);
    if (!bucket) return;
    removeFrom(bucket.byLookup, lookupKey(secret.type, secret.userId, secret.key), secret);
    removeFrom(bucket.byKey, secret.key, secret);
  }

  // ---- tags ----

  /** Adds or replaces a tag. */
  putTag(tag: Tag): void {
    this.#tags.set(tag.id, tag);
    this.#emit({ op: 'put', table: 'tags', row: tag });
  }

  /** A tag by id. */
  tag(id: string): Tag | undefined {
    return this.#tags.get(id);
  }

  /** A project's tag by slug. */
  tagBySlug(projectId: string, slug: string): Tag | undefined {
    for (const tag of this.#tags.values())
      if (tag.projectId === projectId && tag.slug === slug) return tag;
    return undefined;
  }

  /** The tags of a project, oldest first. */
  projectTags(projectId: string): Tag[] {
    return [...this.#tags.values()].filter((tag) => tag.projectId === projectId);
  }

  /** Removes a tag and takes it off every secret that carries it. */
  deleteTag(tag: Tag): void {
    this.#tags.delete(tag.id);
    for (const secret of this.projectSecrets(tag.projectId)) {
      if (secret.tagIds.includes(tag.id))
        this.setSecretTags(
          secret,
          secret.tagIds.filter((id) => id !== tag.id),
        );
    }
    this.#emit({ op: 'delete', table: 'tags', id: tag.id });
  }

  // ---- imports ----

  /** Adds or replaces an import. */
  putImport(imp: SecretImport): void {
    const old = this.#imports.get(imp.id);
    if (old && old !== imp) this.#folderImports.get(old.folderId)?.delete(old);
    this.#imports.set(imp.id, imp);
    const list = this.#folderImports.get(imp.folderId);
    if (list) list.add(imp);
    else this.#folderImports.set(imp.folderId, new Set([imp]));
    this.#emit({ op: 'put', table: 'imports', row: imp });
  }

  /** An import by id. */
  importById(id: string): SecretImport | undefined {
    return this.#imports.get(id);
  }

  /** The imports of a folder by position (ties by creation). */
  folderImports(folderId: string): SecretImport[] {
    return [...(this.#folderImports.get(folderId) ?? [])].sort((a, b) => a.position - b.position);
  }

  /** Removes an import. */
  deleteImport(imp: SecretImport): void {
    if (!this.#imports.delete(imp.id)) return;
    this.#folderImports.get(imp.folderId)?.delete(imp);
    this.#emit({ op: 'delete', table: 'imports', id: imp.id });
  }

  // ---- identities, client secrets, tokens ----

  /** Adds an identity (from the seed; identities are not persisted). */
  putIdentity(identity: Identity): void {
    this.#identities.set(identity.id, identity);
    this.#identitiesByName.set(identity.name, identity);
    if (identity.universalAuth)
      this.#identitiesByClientId.set(identity.universalAuth.clientId, identity);
  }

  /** An identity by id. */
  identity(id: string): Identity | undefined {
    return this.#identities.get(id);
  }

  /** An identity by name. */
  identityByName(name: string): Identity | undefined {
    return this.#identitiesByName.get(name);
  }

  /** An identity by its Universal Auth client id. */
  identityByClientId(clientId: string): Identity | undefined {
    return this.#identitiesByClientId.get(clientId);
  }

  /** Every identity. */
  identities(): IterableIterator<Identity> {
    return this.#identities.values();
  }

  /** Adds or replaces a client secret. */
  putClientSecret(secret: ClientSecret): void {
    this.#clientSecrets.set(secret.id, secret);
    this.#emit({ op: 'put', table: 'clientSecrets', row: secret });
  }

  /** A client secret by id. */
  clientSecret(id: string): ClientSecret | undefined {
    return this.#clientSecrets.get(id);
  }

  /** The client secrets of an identity, oldest first. */
  identityClientSecrets(identityId: string): ClientSecret[] {
    return [...this.#clientSecrets.values()].filter((s) => s.identityId === identityId);
  }

  // ---- persistence ----

  /** Every persisted row, by table. */
  tables(): PersistedTables {
    return {
      projects: [...this.#projects.values()],
      environments: [...this.#environments.values()],
      folders: [...this.#folders.values()],
      tags: [...this.#tags.values()],
      secrets: [...this.#secrets.values()],
      imports: [...this.#imports.values()],
      clientSecrets: [...this.#clientSecrets.values()],
    };
  }

  /** How many persisted rows there are. */
  rowCount(): number {
    return (
      this.#projects.size +
      this.#environments.size +
      this.#folders.size +
      this.#tags.size +
      this.#secrets.size +
      this.#imports.size +
      this.#clientSecrets.size
    );
  }

  /** Replaces projects, folders, secrets, tags, imports and client secrets with saved ones (identities stay). */
  restore(tables: SavedTables): void {
    for (const map of [
      this.#projects,
      this.#projectsBySlug,
      this.#environments,
      this.#environmentsByKey,
      this.#folders,
      this.#foldersByPath,
      this.#children,
      this.#tags,
      this.#secrets,
      this.#folderSecrets,
      this.#imports,
      this.#folderImports,
      ...(tables.clientSecrets ? [this.#clientSecrets] : []),
    ] as Map<unknown, unknown>[])
      map.clear();
    const listeners = this.#listeners.splice(0);
    try {
      for (const project of tables.projects) this.putProject(project);
      for (const env of tables.environments) this.putEnvironment(env);
      const folders = [...tables.folders].sort((a, b) => a.path.length - b.path.length);
      for (const folder of folders) this.putFolder(folder);
      for (const tag of tables.tags) this.putTag(tag);
      for (const secret of tables.secrets) this.insertSecret(secret);
      for (const imp of tables.imports) this.putImport(imp);
      for (const secret of tables.clientSecrets ?? []) this.putClientSecret(secret);
    } finally {
      this.#listeners.push(...listeners);
    }
  }
}
