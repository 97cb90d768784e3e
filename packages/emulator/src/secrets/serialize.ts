/**
 * Secrets as the server's response schemas shape them: the `SecretRaw` fields of write answers,
 * the listed and fetched views (with `secretPath`, `tags` and, on newer servers,
 * `secretValueHidden` and `secretMetadata`), and secrets inside `imports[]`. A field the server
 * version does not send is never present.
 *
 * @module secrets/serialize
 */
import type { Secret, Tag } from '../state/model.js';
import type { Store } from '../state/store.js';
import type { Behaviours } from '../versions/behaviours.js';

/** The mask the server puts in place of a value the caller may not or did not ask to see. */
export const HIDDEN_VALUE_MASK = '<hidden-by-infisical>';

/** A tag as a secret carries it. */
export interface SecretTagView {
  id: string;
  slug: string;
  color: string | null;
  name: string;
}

/** The response fields a version sends. */
export type ResponseFields = Behaviours['responseFields'];

/** The `SecretRaw` fields every secret answer carries. */
export function secretRaw(
  secret: Secret,
  environment: string,
  value: string = secret.value,
  comment: string = secret.comment,
): Record<string, unknown> {
  return {
    id: secret.id,
    _id: secret.id,
    workspace: secret.projectId,
    environment,
    version: secret.version,
    type: secret.type,
    secretKey: secret.key,
    secretValue: value,
    secretComment: comment,
    secretReminderNote: secret.reminderNote,
    secretReminderRepeatDays: secret.reminderRepeatDays,
    skipMultilineEncoding: secret.skipMultilineEncoding,
    metadata: null,
    createdAt: secret.createdAt,
    updatedAt: secret.updatedAt,
  };
}

/** The tags of a secret (only those among `only`, when given, as a tag-filtered list shows them). */
export function secretTags(
  store: Store,
  secret: Secret,
  only?: readonly string[],
): SecretTagView[] {
  if (secret.tagIds.length === 0) return [];
  const out: SecretTagView[] = [];
  for (const id of secret.tagIds) {
    const tag: Tag | undefined = store.tag(id);
    if (tag && (only === undefined || only.includes(tag.slug)))
      out.push({ id: tag.id, slug: tag.slug, color: tag.color, name: tag.slug });
  }
  return out;
}

/** A secret of a list: `SecretRaw`, its folder path, tags, and what the version adds. */
export function listedSecretView(
  secret: Secret,
  environment: string,
  path: string,
  value: string,
  hidden: boolean,
  tags: SecretTagView[],
  fields: ResponseFields,
): Record<string, unknown> {
  // Fields added by assignment, not spread: this runs for every secret of a list.
  const view = secretRaw(secret, environment, value);
  view.secretPath = path;
  if (fields.valueHidden) view.secretValueHidden = hidden;
  if (fields.secretMetadata) view.secretMetadata = secret.metadata;
  view.tags = tags;
  return view;
}

/** What a cached listed view was made from; any change makes a new one. */
interface ListedEntry {
  version: number;
  environment: string;
  path: string;
  value: string;
  hidden: boolean;
  json: string;
}

/**
 * The JSON of listed secrets without tags, kept per row until its version, folder path or shown
 * value changes: a list of 50,000 secrets is then mostly a join of ready strings.
 */
export class ListedJsonCache {
  readonly #fields: ResponseFields;
  readonly #entries = new WeakMap<Secret, ListedEntry>();

  constructor(fields: ResponseFields) {
    this.#fields = fields;
  }

  /** The JSON of {@link listedSecretView} for these arguments. */
  json(
    secret: Secret,
    environment: string,
    path: string,
    value: string,
    hidden: boolean,
    tags: SecretTagView[],
  ): string {
    const render = (): string =>
      JSON.stringify(
        listedSecretView(secret, environment, path, value, hidden, tags, this.#fields),
      );
    if (tags.length > 0) return render();
    const entry = this.#entries.get(secret);
    if (
      entry !== undefined &&
      entry.version === secret.version &&
      entry.path === path &&
      entry.value === value &&
      entry.hidden === hidden &&
      entry.environment === environment
    )
      return entry.json;
    const json = render();
    this.#entries.set(secret, { version: secret.version, environment, path, value, hidden, json });
    return json;
  }
}

/** A list answer from the JSON of its secrets (and its imports, when asked for). */
export function listAnswerJson(secrets: readonly string[], imports: unknown[] | undefined): string {
  const head = `{"secrets":[${secrets.join(',')}]`;
  return imports === undefined ? `${head}}` : `${head},"imports":${JSON.stringify(imports)}}`;
}

/** A secret fetched by name. */
export function fetchedSecretView(
  secret: Secret,
  environment: string,
  path: string,
  value: string,
  hidden: boolean,
  tags: SecretTagView[] | undefined,
  fields: ResponseFields,
): Record<string, unknown> {
  const view = secretRaw(secret, environment, value);
  if (fields.pathOnGet) view.secretPath = path;
  if (fields.valueHidden) view.secretValueHidden = hidden;
  if (fields.secretMetadata) view.secretMetadata = secret.metadata;
  if (tags !== undefined) view.tags = tags;
  return view;
}

/** A secret inside `imports[].secrets`: no timestamps, reminders or tags, and `workspace: ""`. */
export function importedSecretView(
  secret: Secret,
  environment: string,
  value: string,
  hidden: boolean,
  fields: ResponseFields,
  secretPath?: string,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
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
  };
  if (fields.valueHidden) view.secretValueHidden = hidden;
  if (fields.secretMetadata) view.secretMetadata = secret.metadata;
  if (secretPath !== undefined) view.secretPath = secretPath;
  return view;
}
