/**
 * The secret operations behind the v3 raw and v4 routes and the rotation control: list, get,
 * create, update, delete and their batch forms, with the server version's semantics (missing
 * folders, duplicate keys, batch modes, reference rewriting on rename, expansion, imports).
 *
 * @module secrets/service
 */
import { authorize } from '../auth/permissions.js';
import type { Actor } from '../auth/tokens.js';
import type { FolderService } from '../folders/service.js';
import { ApiError, badRequest, notFound, serverError } from '../http/api-error.js';
import type { ProjectService } from '../projects/service.js';
import type { Clock } from '../state/clock.js';
import { newId } from '../state/ids.js';
import type { Folder, Project, Secret, SecretFields } from '../state/model.js';
import { secretRow } from '../state/rows.js';
import type { Store } from '../state/store.js';
import type { Behaviours, FolderRoute } from '../versions/behaviours.js';
import { importedEnvironment, type ResolvedImport, resolveImports } from './imports.js';
import {
  ExpansionFailure,
  type ExpansionItem,
  type ExpansionState,
  expandMany,
  expansionState,
  type ReferenceSource,
  renameReferences,
} from './references.js';
import {
  fetchedSecretView,
  HIDDEN_VALUE_MASK,
  importedSecretView,
  ListedJsonCache,
  listAnswerJson,
  type SecretTagView,
  secretRaw,
  secretTags,
} from './serialize.js';

/** Where a request points: project id, environment slug and folder path (as sent, trailing slash dropped). */
export interface SecretScope {
  projectId: string;
  environment: string;
  path: string;
}

/** Options of a list. */
export interface ListInput extends SecretScope {
  recursive: boolean;
  includeImports: boolean;
  expand: boolean;
  viewSecretValue: boolean;
  tagSlugs: string[];
  /** v4 adds `secretPath` to imported secrets. */
  importedSecretPath: boolean;
}

/** Options of a get by name. */
export interface GetInput extends SecretScope {
  name: string;
  type: 'shared' | 'personal';
  version?: number;
  expand: boolean;
  includeImports: boolean;
  viewSecretValue: boolean;
}

/** Fields a create or update may set (undefined: not sent). */
export interface SecretInput {
  value?: string;
  comment?: string;
  tagIds?: string[];
  skipMultilineEncoding?: boolean;
  reminderNote?: string | null;
  reminderRepeatDays?: number | null;
  metadata?: SecretFields['metadata'];
}

/** One item of a batch update. */
export interface BatchUpdateItem extends SecretInput {
  key: string;
  newSecretName?: string;
  /** A per-item folder (newer servers). */
  path?: string;
}

/** Changing a secret from outside, as a rotation would (the control API). */
export interface RotationInput {
  project: Project;
  environment: string;
  folder: Folder;
  key: string;
  value: string;
  type: 'shared' | 'personal';
  userId: string | null;
}

type View = Record<string, unknown>;

const TAG_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_KEY_LENGTH = 500;
const NO_TAGS: SecretTagView[] = [];

/** The bytes of list answers kept for reuse while the store does not change. */
const MAX_CACHED_ANSWER_BYTES = 64 * 1024 * 1024;

/** A row of a list whose value holds a reference, with what expanding it needs. */
interface PendingExpansion {
  index: number;
  item: ExpansionItem;
}

/** Normalises a value as the server does: trimmed, but a trailing newline is kept. */
export function normalizeValue(value: string): string {
  return value.at(-1) === '\n' ? `${value.trim()}\n` : value.trim();
}

/** The secret operations, over the store. */
export class SecretService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #projects: ProjectService;
  readonly #folders: FolderService;
  readonly #behaviours: Behaviours;
  readonly #listed: ListedJsonCache;
  readonly #answers = new Map<string, Buffer>();
  #answerBytes = 0;
  #answersRevision = -1;

  constructor(
    store: Store,
    clock: Clock,
    projects: ProjectService,
    folders: FolderService,
    behaviours: Behaviours,
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#projects = projects;
    this.#folders = folders;
    this.#behaviours = behaviours;
    this.#listed = new ListedJsonCache(behaviours.responseFields);
  }

  /**
   * `GET .../secrets`: local secrets (and the caller's personal ones) plus, on request, imports,
   * as the answer's JSON. An answer is reused until the store changes (polling a large folder).
   */
  list(actor: Actor, input: ListInput): Buffer {
    const project = this.#projects.byId(input.projectId);
    authorize(actor, project, 'read');
    const folders = input.recursive
      ? this.#recursiveFolders(project, input)
      : this.#listFolder(project, input);
    if (folders === 'empty') return Buffer.from(listAnswerJson([], []));
    const userId = actor.identity.user ? actor.identity.id : null;
    if (this.#answersRevision !== this.#store.revision) {
      this.#clearAnswers();
      this.#answersRevision = this.#store.revision;
    }
    const key = JSON.stringify([input, userId]);
    const cached = this.#answers.get(key);
    if (cached) return cached;
    const answer = Buffer.from(this.#listAnswer(project, folders, userId, input));
    if (this.#answerBytes + answer.length > MAX_CACHED_ANSWER_BYTES) this.#clearAnswers();
    if (answer.length <= MAX_CACHED_ANSWER_BYTES) {
      this.#answers.set(key, answer);
      this.#answerBytes += answer.length;
    }
    return answer;
  }

  #clearAnswers(): void {
    this.#answers.clear();
    this.#answerBytes = 0;
  }

  #listAnswer(
    project: Project,
    folders: Folder[],
    userId: string | null,
    input: ListInput,
  ): string {
    const source = this.#source(project.id, userId);
    const state = expansionState();
    const fields = this.#behaviours.responseFields;
    const hidden = this.#behaviours.viewSecretValueParam && !input.viewSecretValue;
    const filter = input.tagSlugs.filter(Boolean);
    const { rows, folderOf } = this.#rows(folders, userId);
    // One pass keeps the shown rows and their tags; only values with a reference are expanded.
    const shown: Secret[] = [];
    const shownTags: SecretTagView[][] = [];
    const pending: PendingExpansion[] = [];
    for (const secret of rows) {
      let tags = NO_TAGS;
      if (filter.length > 0) {
        tags = secretTags(this.#store, secret, filter);
        if (tags.length === 0) continue;
      } else if (secret.tagIds.length > 0) tags = secretTags(this.#store, secret);
      const masked = hidden && secret.type === 'shared';
      if (input.expand && !masked && secret.value.includes('${')) {
        const folder = folderOf(secret);
        pending.push({
          index: shown.length,
          item: {
            value: secret.value,
            at: { environment: folder.environment, path: folder.path, key: secret.key },
            skipMultilineEncoding: secret.skipMultilineEncoding,
          },
        });
      }
      shown.push(secret);
      shownTags.push(tags);
    }
    const expanded = this.#expandList(pending, source, state);
    const secrets: string[] = new Array(shown.length);
    for (let i = 0; i < shown.length; i++) {
      const secret = shown[i] as Secret;
      const folder = folderOf(secret);
      const masked = hidden && secret.type === 'shared';
      const value = masked ? HIDDEN_VALUE_MASK : (expanded.get(i) ?? secret.value);
      secrets[i] = this.#listed.json(
        secret,
        folder.environment,
        folder.path,
        value,
        masked,
        shownTags[i] as SecretTagView[],
      );
    }
    if (!input.includeImports) return listAnswerJson(secrets, undefined);
    // The server hands the list's import walk its expander whether or not expansion was asked
    // for: imported values are always expanded (and so always de-duplicated by key).
    const resolved = this.#imports(
      folders.flatMap((folder) => this.#store.folderImports(folder.id)),
      project,
      true,
    );
    const importedPending: PendingExpansion[] = [];
    let next = 0;
    for (const imp of resolved) {
      for (const secret of imp.secrets) {
        if (!hidden && secret.value.includes('${'))
          importedPending.push({
            index: next,
            item: {
              value: secret.value,
              at: { environment: imp.environment, path: imp.secretPath, key: secret.key },
              skipMultilineEncoding: secret.skipMultilineEncoding,
            },
          });
        next++;
      }
    }
    const importedValues = this.#expandList(importedPending, source, state);
    next = 0;
    const imports = resolved.map((imp) => ({
      secretPath: imp.secretPath,
      environment: imp.environment,
      ...(imp.folderId === undefined ? {} : { folderId: imp.folderId }),
      secrets: imp.secrets.map((secret) => {
        const index = next++;
        return importedSecretView(
          secret,
          importedEnvironment(this.#store, secret, imp),
          hidden ? HIDDEN_VALUE_MASK : (importedValues.get(index) ?? secret.value),
          hidden,
          fields,
          input.importedSecretPath ? imp.secretPath : undefined,
        );
      }),
    }));
    return listAnswerJson(secrets, imports);
  }

  /** `GET .../secrets/:name`: the folder's secret, else (on request) the last import that has it. */
  get(actor: Actor, input: GetInput): { secret: View } {
    const project = this.#projects.byId(input.projectId);
    authorize(actor, project, 'read');
    const folder = this.#folder(project, input, 'get');
    const userId = actor.identity.user ? actor.identity.id : null;
    const fields = this.#behaviours.responseFields;
    const hidden = this.#behaviours.viewSecretValueParam && !input.viewSecretValue;
    const source = this.#source(project.id, userId);
    // A machine identity asking for its personal secret finds none (only users have them).
    const local = this.#store.findSecret(folder.id, input.name, input.type, actor.identity.id);
    if (!local && input.includeImports) {
      const imports = this.#imports(this.#store.folderImports(folder.id), project, input.expand);
      for (let i = imports.length - 1; i >= 0; i--) {
        const imp = imports[i] as ResolvedImport;
        const match = imp.secrets.find((secret) => secret.key === input.name);
        if (!match) continue;
        const masked = hidden && match.type === 'shared';
        let value = masked ? HIDDEN_VALUE_MASK : match.value;
        if (input.expand && !masked) {
          const result = this.#expandOne(
            value,
            { environment: imp.environment, path: imp.secretPath, key: match.key },
            match.skipMultilineEncoding,
            source,
          );
          value = result instanceof ExpansionFailure || result === undefined ? value : result || '';
        }
        return {
          secret: fetchedSecretView(
            match,
            imp.environment,
            imp.secretPath,
            value,
            masked,
            undefined,
            fields,
          ),
        };
      }
    }
    if (!local) throw notFound(this.#behaviours.getSecretNotFound(input.name));
    const fieldsAt = this.#version(local, input.version);
    const masked = hidden && local.type === 'shared';
    let value = masked ? HIDDEN_VALUE_MASK : fieldsAt.value;
    if (input.expand && !masked && value) {
      const result = this.#expandOne(
        value,
        { environment: folder.environment, path: folder.path, key: local.key },
        fieldsAt.skipMultilineEncoding,
        source,
      );
      // A 2024-10 expansion that fails on a get is the server's 500.
      if (result instanceof ExpansionFailure) throw serverError();
      value = result || '';
    }
    const shown = { ...local, ...fieldsAt };
    return {
      secret: fetchedSecretView(
        shown,
        folder.environment,
        folder.path,
        value,
        masked,
        secretTags(this.#store, shown),
        fields,
      ),
    };
  }

  /** `POST .../secrets/:name`: a shared secret, or a user's personal override of one. */
  create(
    actor: Actor,
    scope: SecretScope,
    name: string,
    type: 'shared' | 'personal',
    input: SecretInput,
  ): View {
    const project = this.#projects.byId(scope.projectId);
    authorize(actor, project, 'create');
    const folder = this.#folder(project, scope, 'create');
    const userId = this.#personalOwner(actor, type, 'create');
    const shared = this.#store.findSecret(folder.id, name, 'shared', null);
    if (type === 'shared' && shared) throw badRequest('Secret already exist');
    if (type === 'personal' && !shared) {
      throw badRequest(
        'Failed to create personal secret override for no corresponding shared secret',
      );
    }
    this.#checkTags(project, input.tagIds ?? []);
    const secret = this.#insert(folder, withDefaults(name, input), type, userId);
    return secretRaw(secret, folder.environment, secret.value, input.comment ?? '');
  }

  /** `PATCH .../secrets/:name`: a new version; `newSecretName` renames (and, on newer servers, rewrites references). */
  update(
    actor: Actor,
    scope: SecretScope,
    name: string,
    type: 'shared' | 'personal',
    input: SecretInput & { newSecretName?: string },
  ): View {
    const project = this.#projects.byId(scope.projectId);
    authorize(actor, project, 'edit');
    if (input.newSecretName === '') throw badRequest('New secret name cannot be empty');
    const folder = this.#folder(project, scope, 'update');
    const userId = this.#personalOwner(actor, type, 'create');
    if (input.newSecretName && type === 'personal')
      throw badRequest('Personal secret cannot change the key name');
    const secret = this.#store.findSecret(folder.id, name, type, userId);
    if (!secret) throw notFound('Secret not found');
    if (
      input.newSecretName &&
      this.#store.findSecret(folder.id, input.newSecretName, 'shared', null)
    )
      throw badRequest('Secret with the new name already exist');
    this.#checkTags(project, input.tagIds ?? []);
    this.#apply(secret, folder, input);
    const view = secretRaw(
      secret,
      folder.environment,
      secret.value,
      this.#behaviours.updateAnswer === 'input' ? (input.comment ?? '') : secret.comment,
    );
    if (this.#behaviours.responseFields.valueHidden) view.secretValueHidden = false;
    return view;
  }

  /** `DELETE .../secrets/:name`: every row of the key goes (a shared key takes its personal overrides with it). */
  delete(actor: Actor, scope: SecretScope, name: string, type: 'shared' | 'personal'): View {
    const project = this.#projects.byId(scope.projectId);
    authorize(actor, project, 'delete');
    const folder = this.#folder(project, scope, 'delete');
    const userId = this.#personalOwner(actor, type, 'delete');
    const target =
      type === 'shared'
        ? this.#anyRow(folder, name)
        : this.#store.findSecret(folder.id, name, 'personal', userId);
    if (!target) throw notFound('Secret not found');
    const [first] = this.#deleteKey(folder, name, type, userId);
    return secretRaw(first as Secret, folder.environment);
  }

  /** Batch create: all or nothing; the same key twice stores two rows, as the server does. */
  createMany(actor: Actor, scope: SecretScope, items: (SecretInput & { key: string })[]): View[] {
    const project = this.#projects.byId(scope.projectId);
    authorize(actor, project, 'create');
    const folder = this.#folder(project, scope, 'batchCreate');
    const existing = this.#existing(
      folder,
      items.map((item) => item.key),
    );
    if (existing.length > 0) throw badRequest(this.#behaviours.batchCreateExisting(existing));
    this.#checkTags(
      project,
      items.flatMap((item) => item.tagIds ?? []),
    );
    if (items.some((item) => item.key.length > MAX_KEY_LENGTH)) throw serverError('Create');
    const at = this.#clock.iso();
    return items.map((item) => {
      const secret = this.#insert(folder, withDefaults(item.key, item), 'shared', null, at);
      return secretRaw(secret, folder.environment);
    });
  }

  /** Batch update: 2024-10 requires every key to exist (one row each); newer servers add `upsert` and `ignore`. */
  updateMany(
    actor: Actor,
    scope: SecretScope,
    mode: 'failOnNotFound' | 'upsert' | 'ignore',
    items: BatchUpdateItem[],
  ): View[] {
    const project = this.#projects.byId(scope.projectId);
    authorize(actor, project, 'edit');
    const root = this.#folder(project, scope, 'batchUpdate');
    const targets = items.map((item) => {
      const folder =
        item.path === undefined || item.path === scope.path
          ? root
          : this.#folder(project, { ...scope, path: item.path }, 'batchUpdate');
      return { item, folder, rows: this.#store.findSecrets(folder.id, item.key, 'shared', null) };
    });
    const found = targets.flatMap((target) => target.rows.map((row) => row.key));
    const missing = targets.some((target) => target.rows.length === 0);
    if (mode === 'failOnNotFound' && (missing || found.length !== items.length))
      throw notFound(this.#behaviours.batchUpdateMissing(found, scope.path));
    const renamed = items.filter((item) => item.newSecretName);
    if (
      renamed.some((item) =>
        this.#store.findSecret(root.id, item.newSecretName as string, 'shared', null),
      )
    ) {
      throw badRequest(
        `Secret with new name already exists: ${renamed.map((item) => item.newSecretName).join(',')}`,
      );
    }
    this.#checkTags(
      project,
      items.flatMap((item) => item.tagIds ?? []),
    );
    const out: View[] = [];
    const at = this.#clock.iso();
    for (const { item, folder, rows } of targets) {
      const secret = rows[0];
      if (secret) {
        this.#apply(secret, folder, item, at);
        out.push(secretRaw(secret, folder.environment));
      } else if (mode === 'upsert') {
        const created = this.#insert(folder, withDefaults(item.key, item), 'shared', null, at);
        out.push(secretRaw(created, folder.environment));
      }
    }
    return out;
  }

  /** Batch delete: every key must exist (one row each); each key takes its personal overrides with it. */
  deleteMany(
    actor: Actor,
    scope: SecretScope,
    items: { key: string; type: 'shared' | 'personal' }[],
  ): View[] {
    const project = this.#projects.byId(scope.projectId);
    authorize(actor, project, 'delete');
    const folder = this.#folder(project, scope, 'batchDelete');
    const found = items.flatMap((item) =>
      this.#store.findSecrets(folder.id, item.key, 'shared', null).map((row) => row.key),
    );
    if (found.length !== items.length)
      throw notFound(`One or more secrets does not exist: ${found.join(',')}`);
    const userId = actor.identity.user ? actor.identity.id : null;
    return items.flatMap((item) =>
      this.#deleteKey(folder, item.key, item.type, userId).map((secret) =>
        secretRaw(secret, folder.environment),
      ),
    );
  }

  /** Creates or changes a secret from outside (a rotation): a new version; returns whether it was created. */
  rotate(input: RotationInput): { secret: Secret; created: boolean } {
    const value = normalizeValue(input.value);
    const existing = this.#store.findSecret(input.folder.id, input.key, input.type, input.userId);
    if (existing) {
      this.#store.updateSecret(existing, { value }, this.#clock.iso());
      return { secret: existing, created: false };
    }
    return {
      secret: this.#insert(
        input.folder,
        withDefaults(input.key, { value }),
        input.type,
        input.userId,
      ),
      created: true,
    };
  }

  /** Deletes a secret from outside; returns whether it existed. */
  remove(folder: Folder, key: string, type: 'shared' | 'personal', userId: string | null): boolean {
    return this.#deleteKey(folder, key, type, userId).length > 0;
  }

  #folder(project: Project, scope: SecretScope, route: FolderRoute): Folder {
    const folder = this.#folders.find(project.id, scope.environment, scope.path);
    if (folder) return folder;
    const answer = this.#behaviours.folderNotFound(route, scope.environment, scope.path);
    throw new ApiError(answer.status, answer.error, answer.message);
  }

  #listFolder(project: Project, input: ListInput): Folder[] | 'empty' {
    const folder = this.#folders.find(project.id, input.environment, input.path);
    if (folder) return [folder];
    const answer = this.#behaviours.listMissingFolder(input.environment, input.path);
    if (answer === 'empty') return 'empty';
    throw new ApiError(answer.status, answer.error, answer.message);
  }

  /** Every folder of the environment whose path starts with the requested one (a string prefix, as the server compares). */
  #recursiveFolders(project: Project, input: ListInput): Folder[] | 'empty' {
    const root = this.#store.folder(project.id, input.environment, '/');
    if (!root) {
      const answer = this.#behaviours.listMissingFolder(input.environment, input.path);
      if (answer === 'empty') throw serverError();
      throw new ApiError(answer.status, answer.error, answer.message);
    }
    const prefix = input.path === '/' ? '' : input.path;
    const folders = this.#store.subtree(root).filter((folder) => folder.path.startsWith(prefix));
    if (folders.length > 0) return folders;
    const answer = this.#behaviours.listMissingFolder(input.environment, input.path);
    if (answer === 'empty') return 'empty';
    throw new ApiError(answer.status, answer.error, answer.message);
  }

  /** The rows a list shows, in the version's order (across folders for a recursive list). */
  #rows(
    folders: Folder[],
    userId: string | null,
  ): { rows: readonly Secret[]; folderOf: (secret: Secret) => Folder } {
    const order = this.#behaviours.listOrder;
    const only = folders.length === 1 ? folders[0] : undefined;
    const visible = (secret: Secret): boolean =>
      secret.type === 'shared' || (userId !== null && secret.userId === userId);
    if (only) {
      const all = this.#store.folderSecrets(only.id, order);
      // Without personal rows to hide, the store's ordered array is the answer as it is.
      const rows = all.every(visible) ? all : all.filter(visible);
      return { rows, folderOf: () => only };
    }
    const byId = new Map(folders.map((folder) => [folder.id, folder]));
    const rows = folders.flatMap((folder) =>
      this.#store.folderSecrets(folder.id, order).filter(visible),
    );
    const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    rows.sort(
      order === 'id' ? (a, b) => cmp(a.id, b.id) : (a, b) => cmp(a.key, b.key) || cmp(a.id, b.id),
    );
    return { rows, folderOf: (secret) => byId.get(secret.folderId) as Folder };
  }

  #imports(
    imports: Parameters<typeof resolveImports>[1],
    project: Project,
    expand: boolean,
  ): ResolvedImport[] {
    return resolveImports(
      this.#store,
      imports,
      (environment, path) => this.#store.folder(project.id, environment, path),
      this.#behaviours.importResolution,
      expand,
    );
  }

  /** One value expanded on its own (a get). */
  #expandOne(
    value: string,
    at: ExpansionItem['at'],
    skipMultilineEncoding: boolean,
    source: ReferenceSource,
  ): ReturnType<typeof expandMany>[number] | undefined {
    const [result] = expandMany(
      this.#behaviours.referenceExpansion,
      [{ value, at, skipMultilineEncoding }],
      source,
      expansionState(),
    );
    return result;
  }

  /**
   * The expanded values of a list's rows that hold a reference, by row index (all of a request's
   * expansions together, as the server ran them); a failed expansion keeps the stored value.
   */
  #expandList(
    pending: PendingExpansion[],
    source: ReferenceSource,
    state: ExpansionState,
  ): Map<number, string> {
    const out = new Map<number, string>();
    if (pending.length === 0) return out;
    // The server grouped a list by folder path before expanding it.
    const groups = new Map<string, PendingExpansion[]>();
    for (const entry of pending) {
      const group = groups.get(entry.item.at.path);
      if (group) group.push(entry);
      else groups.set(entry.item.at.path, [entry]);
    }
    const ordered = [...groups.values()].flat();
    const results = expandMany(
      this.#behaviours.referenceExpansion,
      ordered.map((entry) => entry.item),
      source,
      state,
    );
    ordered.forEach((entry, i) => {
      const result = results[i];
      if (result !== undefined && !(result instanceof ExpansionFailure))
        out.set(entry.index, result || '');
    });
    return out;
  }

  /** The values of a folder by key for reference expansion (2024-10: shared rows only; newer: the user's personal ones win). */
  #source(projectId: string, userId: string | null): ReferenceSource {
    const personal = this.#behaviours.referenceExpansion === 'cycle-aware' ? userId : null;
    const cache = new Map<string, ReadonlyMap<string, string> | undefined>();
    return (environment, path) => {
      const key = `${environment}\u0000${path}`;
      if (cache.has(key)) return cache.get(key);
      const folder = this.#store.folder(projectId, environment, path);
      let values: Map<string, string> | undefined;
      if (folder) {
        values = new Map();
        for (const secret of this.#store.folderSecrets(folder.id, 'id'))
          if (secret.type === 'shared') values.set(secret.key, secret.value);
        if (personal !== null)
          for (const secret of this.#store.folderSecrets(folder.id, 'id'))
            if (secret.type === 'personal' && secret.userId === personal)
              values.set(secret.key, secret.value);
      }
      cache.set(key, values);
      return values;
    };
  }

  #version(secret: Secret, version: number | undefined): SecretFields & { version: number } {
    if (
      this.#behaviours.versionOnGet === 'ignored' ||
      version === undefined ||
      version === secret.version
    )
      return secret;
    const old = secret.history.find((h) => h.version === version);
    if (!old) throw notFound(`Secret version ${version} of '${secret.key}' not found`);
    return old;
  }

  #personalOwner(
    actor: Actor,
    type: 'shared' | 'personal',
    verb: 'create' | 'delete',
  ): string | null {
    if (type === 'shared') return null;
    if (!actor.identity.user) throw badRequest(`Must be user to ${verb} personal secret`);
    return actor.identity.id;
  }

  /** The keys among `keys` that have a shared row, in the order asked. */
  #existing(folder: Folder, keys: string[]): string[] {
    const out: string[] = [];
    for (const key of new Set(keys))
      for (const row of this.#store.findSecrets(folder.id, key, 'shared', null)) out.push(row.key);
    return out;
  }

  #checkTags(project: Project, tagIds: string[]): void {
    if (tagIds.length === 0) return;
    if (tagIds.some((id) => !TAG_ID.test(id))) throw serverError('Find one');
    const found = new Set(tagIds.filter((id) => this.#store.tag(id)?.projectId === project.id));
    if (found.size !== tagIds.length) throw notFound(this.#behaviours.tagNotFoundMessage);
  }

  /** Any row of a key (a shared delete finds personal rows too, as the server's lookup did). */
  #anyRow(folder: Folder, key: string): Secret | undefined {
    return (
      this.#store.findSecret(folder.id, key, 'shared', null) ??
      this.#store.secretsWithKey(folder.id, key)[0]
    );
  }

  /** Deletes the rows of a key: a shared key takes every personal override of it along. */
  #deleteKey(
    folder: Folder,
    key: string,
    type: 'shared' | 'personal',
    userId: string | null,
  ): Secret[] {
    const rows =
      type === 'shared'
        ? this.#store.secretsWithKey(folder.id, key)
        : [...this.#store.findSecrets(folder.id, key, 'personal', userId)];
    for (const row of rows) this.#store.deleteSecret(row);
    return rows;
  }

  /** A new row; `at` is the request's time (the rows of one batch share it, as in one transaction). */
  #insert(
    folder: Folder,
    fields: SecretFields,
    type: 'shared' | 'personal',
    userId: string | null,
    at: string = this.#clock.iso(),
  ): Secret {
    return this.#store.insertSecret(
      secretRow(fields, {
        id: newId(),
        projectId: folder.projectId,
        folderId: folder.id,
        type,
        userId: type === 'personal' ? userId : null,
        version: 1,
        at,
      }),
    );
  }

  #apply(
    secret: Secret,
    folder: Folder,
    input: SecretInput & { newSecretName?: string },
    at: string = this.#clock.iso(),
  ): void {
    const { newSecretName, ...changes } = input;
    const renamed =
      newSecretName !== undefined && newSecretName !== '' && newSecretName !== secret.key;
    const oldKey = secret.key;
    const defined: Partial<SecretFields> = {};
    for (const [field, value] of Object.entries(changes))
      if (value !== undefined && field !== 'key' && field !== 'path')
        (defined as Record<string, unknown>)[field] = value;
    if (renamed) defined.key = newSecretName;
    this.#store.updateSecret(secret, defined, at);
    if (renamed && secret.type === 'shared' && this.#behaviours.renameRewritesReferences)
      this.#rewriteReferences(folder, oldKey, newSecretName);
  }

  /** Points every reference to `folder/oldKey` in the project at `newKey`, as a new version of each holder. */
  #rewriteReferences(folder: Folder, oldKey: string, newKey: string): void {
    const renamed = { environment: folder.environment, path: folder.path, key: oldKey };
    for (const holder of [...this.#store.projectSecrets(folder.projectId)]) {
      const holderFolder = this.#store.folderById(holder.folderId);
      if (!holderFolder) continue;
      const next = renameReferences(holder.value, holderFolder, renamed, newKey);
      if (next !== undefined) this.#store.updateSecret(holder, { value: next }, this.#clock.iso());
    }
  }
}

function withDefaults(key: string, input: SecretInput): SecretFields {
  return {
    key,
    value: input.value ?? '',
    comment: input.comment ?? '',
    tagIds: input.tagIds ?? [],
    skipMultilineEncoding: input.skipMultilineEncoding ?? false,
    reminderNote: input.reminderNote ?? null,
    reminderRepeatDays: input.reminderRepeatDays ?? null,
    metadata: input.metadata ?? [],
  };
}
