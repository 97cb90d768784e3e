/**
 * New rows of the store, made one way wherever they are created (the seed, the API). Secrets are
 * built as plain object literals: spreading a secret's fields into a literal with more properties
 * costs V8 two orders of magnitude more, which a 50,000-secret seed or batch notices.
 *
 * @module state/rows
 */
import type { Environment, Folder, Secret, SecretFields, SecretVersion } from './model.js';
import { childPath } from './paths.js';

/** A new folder of an environment: its root (`parent` null, named `root`) or a child of `parent`. */
export function folderRow(
  id: string,
  env: Environment,
  parent: Folder | null,
  name: string,
  at: string,
  description: string | null = null,
): Folder {
  return {
    id,
    projectId: env.projectId,
    envId: env.id,
    environment: env.slug,
    path: parent ? childPath(parent.path, name) : '/',
    name: parent ? name : 'root',
    parentId: parent?.id ?? null,
    description,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** Where a new secret row lives and what it is, besides its fields. */
export interface SecretPlace {
  id: string;
  projectId: string;
  folderId: string;
  type: 'shared' | 'personal';
  userId: string | null;
  version: number;
  at: string;
}

/** A new secret row (its earlier versions, if any, in `history`). */
export function secretRow(
  fields: SecretFields,
  place: SecretPlace,
  history: SecretVersion[] = [],
): Secret {
  return {
    key: fields.key,
    value: fields.value,
    comment: fields.comment,
    tagIds: fields.tagIds,
    skipMultilineEncoding: fields.skipMultilineEncoding,
    reminderNote: fields.reminderNote,
    reminderRepeatDays: fields.reminderRepeatDays,
    metadata: fields.metadata,
    id: place.id,
    projectId: place.projectId,
    folderId: place.folderId,
    type: place.type,
    userId: place.userId,
    version: place.version,
    createdAt: place.at,
    updatedAt: place.at,
    history,
  };
}

/** A version of a secret as its history keeps it: its fields then, its number and its time. */
export function versionRow(
  fields: SecretFields,
  version: number,
  updatedAt: string,
): SecretVersion {
  return {
    key: fields.key,
    value: fields.value,
    comment: fields.comment,
    tagIds: fields.tagIds,
    skipMultilineEncoding: fields.skipMultilineEncoding,
    reminderNote: fields.reminderNote,
    reminderRepeatDays: fields.reminderRepeatDays,
    metadata: fields.metadata,
    version,
    updatedAt,
  };
}
