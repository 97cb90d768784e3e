/**
 * The secrets endpoints (the v3 raw family, which servers old and new both serve), as typed
 * calls over an authenticated request function.
 *
 * @module
 */
import type { FolderRef } from '../cache/folder-cache.js';
import { withTaggedImportsOnly } from '../secrets/tag-filter.js';
import type { FolderSnapshot, ResolvedScope, Secret, SecretType } from '../secrets/types.js';
import { toSecret, toSnapshot, type WireSecret, type WireSecretList } from '../secrets/wire.js';
import type { ApiRequest } from './transport.js';

/** Sends one API request with the client's current access token. */
export type AuthedRequest = <T>(request: Omit<ApiRequest, 'token'>) => Promise<T>;

const RAW = '/api/v3/secrets/raw';
const BATCH = '/api/v3/secrets/batch/raw';
const secretPath = (name: string) => `${RAW}/${encodeURIComponent(name)}`;

/**
 * `GET /api/v3/secrets/raw`: one folder with its imports. With a tag filter, imported secrets
 * without one of the tags are dropped here (the server filters only the folder's own secrets).
 */
export async function fetchFolder(
  send: AuthedRequest,
  { scope, query }: FolderRef,
): Promise<FolderSnapshot> {
  const list = await send<WireSecretList>({
    method: 'GET',
    path: RAW,
    query: {
      workspaceId: scope.projectId,
      environment: scope.environment,
      secretPath: scope.path,
      recursive: query.recursive,
      include_imports: query.includeImports,
      expandSecretReferences: query.expandSecretReferences,
      tagSlugs: query.tagSlugs.length > 0 ? query.tagSlugs.join(',') : undefined,
    },
  });
  return withTaggedImportsOnly(toSnapshot(list, scope), query.tagSlugs);
}

/** `GET /api/v3/secrets/raw/:name`: one secret, for reads the cached list cannot answer (a version). */
export async function fetchSecret(
  send: AuthedRequest,
  scope: ResolvedScope,
  name: string,
  options: {
    type: SecretType;
    version?: number;
    includeImports: boolean;
    expandSecretReferences: boolean;
  },
): Promise<Secret> {
  const { secret } = await send<{ secret: WireSecret }>({
    method: 'GET',
    path: secretPath(name),
    query: {
      workspaceId: scope.projectId,
      environment: scope.environment,
      secretPath: scope.path,
      type: options.type,
      version: options.version,
      include_imports: options.includeImports,
      expandSecretReferences: options.expandSecretReferences,
    },
  });
  return toSecret(secret, scope);
}

/** Fields a create or update may set. */
export interface SecretWriteFields {
  /** The value. Required on create. */
  value?: string;
  /** Comment. */
  comment?: string;
  /** `shared` (default) or `personal` (users only). */
  type?: SecretType;
  /** Tag ids. */
  tagIds?: string[];
  /** Keep multi-line values unencoded. */
  skipMultilineEncoding?: boolean;
}

/** The scope as the write endpoints take it in their body. */
const bodyOf = (scope: ResolvedScope): Record<string, string> => ({
  workspaceId: scope.projectId,
  environment: scope.environment,
  secretPath: scope.path,
});

const writeBody = (fields: SecretWriteFields) => ({
  secretValue: fields.value,
  secretComment: fields.comment,
  type: fields.type,
  tagIds: fields.tagIds,
  skipMultilineEncoding: fields.skipMultilineEncoding,
});

/** `POST /api/v3/secrets/raw/:name`. */
export async function createSecret(
  send: AuthedRequest,
  scope: ResolvedScope,
  name: string,
  fields: SecretWriteFields,
): Promise<Secret> {
  const { secret } = await send<{ secret: WireSecret }>({
    method: 'POST',
    path: secretPath(name),
    body: { ...bodyOf(scope), ...writeBody(fields) },
  });
  return toSecret(secret, scope);
}

/** `PATCH /api/v3/secrets/raw/:name`; `newName` renames. */
export async function updateSecret(
  send: AuthedRequest,
  scope: ResolvedScope,
  name: string,
  fields: SecretWriteFields & { newName?: string },
): Promise<Secret> {
  const { secret } = await send<{ secret: WireSecret }>({
    method: 'PATCH',
    path: secretPath(name),
    body: { ...bodyOf(scope), ...writeBody(fields), newSecretName: fields.newName },
  });
  return toSecret(secret, scope);
}

/** `DELETE /api/v3/secrets/raw/:name`. */
export async function deleteSecret(
  send: AuthedRequest,
  scope: ResolvedScope,
  name: string,
  type: SecretType,
): Promise<Secret> {
  const { secret } = await send<{ secret: WireSecret }>({
    method: 'DELETE',
    path: secretPath(name),
    body: { ...bodyOf(scope), type },
  });
  return toSecret(secret, scope);
}

/** One entry of a batch write. */
export interface BatchSecret extends Omit<SecretWriteFields, 'type'> {
  /** The key. */
  key: string;
  /** Rename to this key (batch update only). */
  newName?: string;
}

/** How a batch update treats missing keys: fail (default), create them, or skip them. */
export type BatchUpdateMode = 'failOnNotFound' | 'upsert' | 'ignore';

/** `POST /api/v3/secrets/batch/raw`: all or nothing. */
export async function createSecrets(
  send: AuthedRequest,
  scope: ResolvedScope,
  secrets: BatchSecret[],
): Promise<Secret[]> {
  const res = await send<{ secrets: WireSecret[] }>({
    method: 'POST',
    path: BATCH,
    body: {
      ...bodyOf(scope),
      secrets: secrets.map((s) => ({ secretKey: s.key, ...writeBody(s), type: undefined })),
    },
  });
  return res.secrets.map((secret) => toSecret(secret, scope));
}

/** `PATCH /api/v3/secrets/batch/raw`. */
export async function updateSecrets(
  send: AuthedRequest,
  scope: ResolvedScope,
  secrets: BatchSecret[],
  mode: BatchUpdateMode,
): Promise<Secret[]> {
  const res = await send<{ secrets: WireSecret[] }>({
    method: 'PATCH',
    path: BATCH,
    body: {
      ...bodyOf(scope),
      mode,
      secrets: secrets.map((s) => ({
        secretKey: s.key,
        ...writeBody(s),
        type: undefined,
        newSecretName: s.newName,
      })),
    },
  });
  return res.secrets.map((secret) => toSecret(secret, scope));
}

/** `DELETE /api/v3/secrets/batch/raw`. */
export async function deleteSecrets(
  send: AuthedRequest,
  scope: ResolvedScope,
  keys: string[],
  type: SecretType,
): Promise<Secret[]> {
  const res = await send<{ secrets: WireSecret[] }>({
    method: 'DELETE',
    path: BATCH,
    body: { ...bodyOf(scope), secrets: keys.map((key) => ({ secretKey: key, type })) },
  });
  return res.secrets.map((secret) => toSecret(secret, scope));
}
