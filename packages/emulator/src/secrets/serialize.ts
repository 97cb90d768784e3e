import type { Environment, Secret, Tag } from '../state/model.js';
import type { Store } from '../state/store.js';

/** The mask the server puts in place of a value the caller may not or did not ask to see. */
export const HIDDEN_VALUE_MASK = '<hidden-by-infisical>';

/** The `SecretRaw` fields every secret response carries. */
export function secretRaw(
  secret: Secret,
  env: Environment,
  value = secret.value,
): Record<string, unknown> {
  return {
    id: secret.id,
    _id: secret.id,
    workspace: secret.projectId,
    environment: env.slug,
    version: secret.version,
    type: secret.type,
    secretKey: secret.key,
    secretValue: value,
    secretComment: secret.comment,
    secretReminderNote: secret.reminderNote,
    secretReminderRepeatDays: secret.reminderRepeatDays,
    skipMultilineEncoding: secret.skipMultilineEncoding,
    metadata: null,
    createdAt: secret.createdAt,
    updatedAt: secret.updatedAt,
  };
}

/** A secret as list and get return it: `SecretRaw` plus path, hidden flag, tags and metadata. */
export function secretView(
  store: Store,
  secret: Secret,
  env: Environment,
  path: string,
  value: string,
  hidden: boolean,
): Record<string, unknown> {
  // Added by assignment, not spread: this runs for every secret of a list.
  const view = secretRaw(secret, env, value);
  view.secretPath = path;
  view.secretValueHidden = hidden;
  view.secretMetadata = secret.metadata;
  view.tags = secretTags(store, secret);
  return view;
}

/** A secret inside `imports[].secrets`: no timestamps, reminders or tags, and `workspace: ""`. */
export function importedSecretView(
  secret: Secret,
  environment: string,
  value: string,
  hidden: boolean,
  secretPath?: string,
): Record<string, unknown> {
  return {
    id: secret.id,
    _id: secret.id,
    workspace: '',
    environment,
    version: secret.version,
    type: secret.type,
    secretKey: secret.key,
    secretValue: value,
    secretComment: secret.comment,
    skipMultilineEncoding: secret.skipMultilineEncoding,
    metadata: null,
    secretValueHidden: hidden,
    secretMetadata: secret.metadata,
    ...(secretPath === undefined ? {} : { secretPath }),
  };
}

function secretTags(store: Store, secret: Secret): Pick<Tag, 'id' | 'slug' | 'color' | 'name'>[] {
  if (secret.tagIds.length === 0) return [];
  return secret.tagIds.flatMap((id) => {
    const tag = store.tags.get(id);
    return tag ? [{ id: tag.id, slug: tag.slug, color: tag.color, name: tag.name }] : [];
  });
}
