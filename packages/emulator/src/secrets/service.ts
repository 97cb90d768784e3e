import type { Actor } from '../auth/tokens.js';
import { badRequest, notFound } from '../http/api-error.js';
import { byText } from '../state/ids.js';
import type { Environment, Folder, Project, Secret, SecretFields } from '../state/model.js';
import type { Store } from '../state/store.js';
import { resolveImports } from './imports.js';
import {
  expandReferences,
  type ReferenceLookup,
  renameReferences,
  type SecretLocation,
} from './references.js';
import { HIDDEN_VALUE_MASK, importedSecretView, secretView } from './serialize.js';

/** Where a request points: project, environment and folder path. */
export interface Scope {
  project: Project;
  env: Environment;
  path: string;
}

/** Options of a list request. */
export interface ListOptions {
  recursive: boolean;
  includeImports: boolean;
  expand: boolean;
  viewSecretValue: boolean;
  tagSlugs: string[];
  /** v4 adds `secretPath` to imported secrets. */
  importedSecretPath: boolean;
}

/** Options of a get-by-name request. */
export interface GetOptions {
  type: 'shared' | 'personal';
  version?: number;
  expand: boolean;
  includeImports: boolean;
  viewSecretValue: boolean;
}

/** Fields a create or update may set. */
export type SecretInput = Partial<Omit<SecretFields, 'key'>>;

/** Normalises a value as the server does: trimmed, but a trailing newline is kept. */
export function normalizeValue(value: string): string {
  return value.at(-1) === '\n' ? `${value.trim()}\n` : value.trim();
}

/** The 404 for a folder path that does not exist. */
export const folderNotFound = (
  scope: { env: Environment; path: string } | { environment: string; path: string },
) =>
  notFound(
    `Folder with path '${scope.path}' in environment with slug '${'env' in scope ? scope.env.slug : scope.environment}' not found`,
  );

const secretNotFound = (name: string) => notFound(`Secret with name '${name}' not found`);

/** The secret operations of the v3 raw and v4 routes, over the store. */
export class SecretService {
  constructor(private readonly store: Store) {}

  /** The folder of a scope, or the server's 404. */
  folderOf(scope: Scope): Folder {
    const folder = this.store.folder(scope.project.id, scope.env.slug, scope.path);
    if (!folder) throw folderNotFound(scope);
    return folder;
  }

  /** `GET .../secrets`: local secrets (and the caller's personal ones) plus, on request, imports. */
  list(
    actor: Actor,
    scope: Scope,
    options: ListOptions,
  ): { secrets: unknown[]; imports?: unknown[] } {
    const root = this.folderOf(scope);
    const folders = options.recursive ? this.#descendants(root) : [root];
    const userId = actor.identity.user ? actor.identity.id : null;
    const lookup = this.#lookup(scope.project, userId);
    const secrets: unknown[] = [];
    for (const folder of folders) {
      const own = this.store
        .folderSecrets(folder.id)
        .filter((s) => s.type === 'shared' || (userId !== null && s.userId === userId))
        .filter((s) => options.tagSlugs.length === 0 || this.#hasAnyTag(s, options.tagSlugs))
        .sort((a, b) => byText(a.key, b.key) || byText(a.type, b.type));
      for (const secret of own) {
        const hidden = !options.viewSecretValue && secret.type === 'shared';
        const value = shownValue(
          secret.value,
          { environment: folder.environment, path: folder.path, key: secret.key },
          lookup,
          { hidden, expand: options.expand, skipMultilineEncoding: secret.skipMultilineEncoding },
        );
        secrets.push(secretView(this.store, secret, scope.env, folder.path, value, hidden));
      }
    }
    if (!options.includeImports) return { secrets };
    const imports = resolveImports(this.store, root).map((imp) => {
      const unique = options.expand ? dedupeByKey(imp.secrets) : imp.secrets;
      return {
        secretPath: imp.secretPath,
        environment: imp.environment,
        folderId: imp.folderId,
        secrets: unique.map((secret) => {
          const hidden = !options.viewSecretValue;
          const value = shownValue(
            secret.value,
            { environment: imp.environment, path: imp.secretPath, key: secret.key },
            lookup,
            { hidden, expand: options.expand, skipMultilineEncoding: secret.skipMultilineEncoding },
          );
          return importedSecretView(
            secret,
            this.store.folders.get(secret.folderId)?.environment ?? imp.environment,
            value,
            hidden,
            options.importedSecretPath ? imp.secretPath : undefined,
          );
        }),
      };
    });
    return { secrets, imports };
  }

  /** `GET .../secrets/:name`: the folder's secret of that type, else (on request) the last import that has it. */
  get(actor: Actor, scope: Scope, name: string, options: GetOptions): { secret: unknown } {
    const folder = this.folderOf(scope);
    const userId = actor.identity.user ? actor.identity.id : null;
    const type = userId === null ? 'shared' : options.type;
    let found: { secret: Secret; env: Environment; path: string } | undefined;
    const local = this.store.findSecret(folder.id, name, type, userId);
    if (local) found = { secret: local, env: scope.env, path: scope.path };
    if (!found && options.includeImports) {
      const imports = resolveImports(this.store, folder);
      for (let i = imports.length - 1; i >= 0 && !found; i--) {
        const imp = imports[i] as (typeof imports)[number];
        const match = imp.secrets.find((s) => s.key === name);
        const env = this.store.environment(scope.project.id, imp.environment);
        if (match && env) found = { secret: match, env, path: imp.secretPath };
      }
    }
    if (!found) throw secretNotFound(name);
    const { secret, env, path } = found;
    const fields = this.#version(secret, options.version, name);
    const hidden = !options.viewSecretValue && secret.type === 'shared';
    const value = shownValue(
      fields.value,
      { environment: env.slug, path, key: secret.key },
      this.#lookup(scope.project, userId),
      { hidden, expand: options.expand, skipMultilineEncoding: fields.skipMultilineEncoding },
    );
    const versioned = { ...secret, ...fields };
    return { secret: secretView(this.store, versioned, env, path, value, hidden) };
  }

  /** `POST .../secrets/:name`: creates a shared secret, or a user's personal override of one. */
  create(
    actor: Actor,
    scope: Scope,
    name: string,
    type: 'shared' | 'personal',
    input: SecretInput,
  ): Secret {
    const folder = this.folderOf(scope);
    const userId = this.#personalOwner(actor, type);
    if (type === 'personal' && !this.store.findSecret(folder.id, name, 'shared', null)) {
      throw badRequest(
        'Failed to create personal secret override for no corresponding shared secret',
      );
    }
    if (this.store.findSecret(folder.id, name, type, userId))
      throw badRequest('Secret already exist');
    return this.store.createSecret(folder, withDefaults(name, input), type, userId);
  }

  /** `PATCH .../secrets/:name`: a new version; `newSecretName` renames and rewrites references to it. */
  update(
    actor: Actor,
    scope: Scope,
    name: string,
    type: 'shared' | 'personal',
    input: SecretInput & { newSecretName?: string },
  ): Secret {
    const folder = this.folderOf(scope);
    const userId = this.#personalOwner(actor, type);
    const secret = this.store.findSecret(folder.id, name, type, userId);
    if (!secret) throw secretNotFound(name);
    return this.#apply(secret, folder, input);
  }

  /** `DELETE .../secrets/:name`. */
  delete(actor: Actor, scope: Scope, name: string, type: 'shared' | 'personal'): Secret {
    const folder = this.folderOf(scope);
    const userId = this.#personalOwner(actor, type);
    const secret = this.store.findSecret(folder.id, name, type, userId);
    if (!secret) throw secretNotFound(name);
    this.store.deleteSecret(secret);
    return secret;
  }

  /** Batch create: all or nothing. */
  createMany(scope: Scope, items: (SecretInput & { secretKey: string })[]): Secret[] {
    const folder = this.folderOf(scope);
    const existing = items.filter((item) =>
      this.store.findSecret(folder.id, item.secretKey, 'shared', null),
    );
    if (existing.length > 0)
      throw badRequest(`Secret already exists: ${existing.map((i) => i.secretKey).join(',')}`);
    const keys = items.map((i) => i.secretKey);
    const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
    if (duplicate) throw badRequest(`Secret already exists: ${duplicate}`);
    return items.map(({ secretKey, ...input }) =>
      this.store.createSecret(folder, withDefaults(secretKey, input), 'shared', null),
    );
  }

  /** Batch update with `failOnNotFound` (all must exist), `upsert` (create missing) or `ignore` (skip missing). */
  updateMany(
    scope: Scope,
    mode: 'failOnNotFound' | 'upsert' | 'ignore',
    items: (SecretInput & { secretKey: string; secretPath?: string; newSecretName?: string })[],
  ): Secret[] {
    const targets = items.map((item) => {
      const folder = this.folderOf({ ...scope, path: item.secretPath ?? scope.path });
      return {
        item,
        folder,
        secret: this.store.findSecret(folder.id, item.secretKey, 'shared', null),
      };
    });
    const missing = targets.filter((t) => !t.secret).map((t) => t.item.secretKey);
    if (mode === 'failOnNotFound' && missing.length > 0)
      throw notFound(`Secret does not exist: ${missing.join(',')}`);
    const result: Secret[] = [];
    for (const { item, folder, secret } of targets) {
      const { secretKey, secretPath, ...input } = item;
      if (secret) result.push(this.#apply(secret, folder, input));
      else if (mode === 'upsert')
        result.push(
          this.store.createSecret(folder, withDefaults(secretKey, input), 'shared', null),
        );
    }
    return result;
  }

  /** Batch delete: all must exist. */
  deleteMany(
    actor: Actor,
    scope: Scope,
    items: { secretKey: string; type: 'shared' | 'personal' }[],
  ): Secret[] {
    const folder = this.folderOf(scope);
    const found = items.map((item) => ({
      item,
      secret: this.store.findSecret(
        folder.id,
        item.secretKey,
        item.type,
        this.#personalOwner(actor, item.type),
      ),
    }));
    const missing = found.filter((f) => !f.secret).map((f) => f.item.secretKey);
    if (missing.length > 0) throw notFound(`Secret does not exist: ${missing.join(',')}`);
    return found.map(({ secret }) => {
      this.store.deleteSecret(secret as Secret);
      return secret as Secret;
    });
  }

  #apply(secret: Secret, folder: Folder, input: SecretInput & { newSecretName?: string }): Secret {
    const { newSecretName, ...changes } = input;
    const renamed = newSecretName !== undefined && newSecretName !== secret.key;
    if (renamed && this.store.findSecret(folder.id, newSecretName, secret.type, secret.userId)) {
      throw badRequest(`Secret with the name '${newSecretName}' already exists`);
    }
    const oldKey = secret.key;
    const defined = Object.fromEntries(
      Object.entries(changes).filter(([, v]) => v !== undefined),
    ) as SecretInput;
    this.store.updateSecret(secret, { ...defined, ...(renamed ? { key: newSecretName } : {}) });
    if (renamed && secret.type === 'shared') this.#rewriteReferences(folder, oldKey, newSecretName);
    return secret;
  }

  /** Points every reference to `folder/oldKey` in the project at `newKey`, as a new version of each holder. */
  #rewriteReferences(folder: Folder, oldKey: string, newKey: string): void {
    const renamed = { environment: folder.environment, path: folder.path, key: oldKey };
    for (const holder of this.store.secrets.values()) {
      if (holder.projectId !== folder.projectId) continue;
      const holderFolder = this.store.folders.get(holder.folderId);
      if (!holderFolder) continue;
      const next = renameReferences(holder.value, holderFolder, renamed, newKey);
      if (next !== undefined) this.store.updateSecret(holder, { value: next });
    }
  }

  #personalOwner(actor: Actor, type: 'shared' | 'personal'): string | null {
    if (type === 'shared') return null;
    if (!actor.identity.user) throw badRequest('Must be user to create personal secret');
    return actor.identity.id;
  }

  #version(
    secret: Secret,
    version: number | undefined,
    name: string,
  ): SecretFields & { version: number } {
    if (version === undefined || version === secret.version) return secret;
    const old = secret.history.find((h) => h.version === version);
    if (!old) throw notFound(`Secret version ${version} of '${name}' not found`);
    return old;
  }

  #lookup(project: Project, userId: string | null): ReferenceLookup {
    return (environment, path, key) => {
      const folder = this.store.folder(project.id, environment, path);
      if (!folder) return { value: '', exists: false };
      const secret =
        (userId !== null ? this.store.findSecret(folder.id, key, 'personal', userId) : undefined) ??
        this.store.findSecret(folder.id, key, 'shared', null);
      return secret ? { value: secret.value, exists: true } : { value: '', exists: false };
    };
  }

  #descendants(folder: Folder): Folder[] {
    return [
      folder,
      ...this.store.childFolders(folder).flatMap((child) => this.#descendants(child)),
    ];
  }

  #hasAnyTag(secret: Secret, slugs: string[]): boolean {
    return secret.tagIds.some((id) => {
      const tag = this.store.tags.get(id);
      return tag !== undefined && slugs.includes(tag.slug);
    });
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

function dedupeByKey(secrets: Secret[]): Secret[] {
  const seen = new Set<string>();
  return secrets.filter((secret) => !seen.has(secret.key) && seen.add(secret.key));
}

/** A value as an answer shows it: masked when hidden, else expanded on request. */
function shownValue(
  value: string,
  at: SecretLocation,
  lookup: ReferenceLookup,
  how: { hidden: boolean; expand: boolean; skipMultilineEncoding: boolean },
): string {
  if (how.hidden) return HIDDEN_VALUE_MASK;
  return how.expand ? expandReferences(value, at, lookup, how.skipMultilineEncoding) : value;
}
