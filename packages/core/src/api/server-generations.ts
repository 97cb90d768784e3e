/**
 * Secret writes that work on every Infisical server generation. Servers of 2024 (the 2024-10
 * release) refuse a PATCH without `secretValue` and ignore a batch update's `mode`; newer ones
 * accept both. Core does not ask the server its version: it sends the newest form first, and the
 * first refusal only a 2024 server gives (a validation error on `secretValue`, a 404 "Secret does
 * not exist" under `upsert`/`ignore`) teaches the client, which then takes the fallback at once:
 * read the current value, or split the batch itself. A 2024 server's batch 404s name the keys it
 * FOUND; core answers them with the keys that are missing.
 *
 * @module
 */
import { folderRef } from '../cache/folder-cache.js';
import { InfisicalError, isInfisicalError } from '../errors/infisical-error.js';
import type { ResolvedScope, Secret, SecretType } from '../secrets/types.js';
import type { ValidationIssue } from './error-body.js';
import * as api from './secrets.js';

/**
 * What a client has learnt about its server from its answers; both start at the newest
 * behaviour and flip once, on the first refusal that only a 2024 server gives.
 */
export interface ServerTraits {
  /** A PATCH must carry `secretValue` (2024-10: 401 `ValidationFailure`, path `secretValue`). */
  patchRequiresValue: boolean;
  /** Batch update ignores `mode` (2024-10: a missing key is a 404 whatever the mode). */
  ignoresBatchMode: boolean;
}

/** Traits of a server nothing is known about yet: the newest behaviour. */
export function newServerTraits(): ServerTraits {
  return { patchRequiresValue: false, ignoresBatchMode: false };
}

/** A validation error whose issues say `secretValue` is required (the 2024 PATCH schema). */
function refusedForMissingValue(error: unknown): boolean {
  if (!isInfisicalError(error) || error.code !== 'VALIDATION_FAILED') return false;
  const issues = (error.details as { issues?: ValidationIssue[] } | undefined)?.issues;
  return Array.isArray(issues) && issues.some((issue) => issue.path.at(-1) === 'secretValue');
}

/** A batch 404 about keys (not folders): 2024-10 `Secret does not exist: …` / `One or more secrets does not exist: …`. */
function missingKeysRefusal(error: unknown): error is InfisicalError {
  return (
    isInfisicalError(error) &&
    error.code === 'NOT_FOUND' &&
    /secrets? does not exist/i.test(error.message)
  );
}

/**
 * `updateSecret` on any server. With a value: one PATCH. Without one (a rename, a comment or
 * tags only): one PATCH on newer servers; on a 2024 server one GET of the stored value
 * (unexpanded, without imports) and the PATCH with it, plus one refused PATCH the first time.
 * The read and the write are not atomic: a change made in between is overwritten.
 */
export async function updateSecretOnAnyServer(
  send: api.AuthedRequest,
  traits: ServerTraits,
  scope: ResolvedScope,
  name: string,
  fields: api.SecretWriteFields & { newName?: string },
): Promise<Secret> {
  if (fields.value !== undefined) return api.updateSecret(send, scope, name, fields);
  if (!traits.patchRequiresValue) {
    try {
      return await api.updateSecret(send, scope, name, fields);
    } catch (error) {
      if (!refusedForMissingValue(error)) throw error;
      traits.patchRequiresValue = true;
    }
  }
  const current = await api.fetchSecret(send, scope, name, {
    type: fields.type ?? 'shared',
    includeImports: false,
    expandSecretReferences: false,
  });
  return api.updateSecret(send, scope, name, { ...fields, value: current.value });
}

/**
 * `updateSecrets` on any server. Newer servers: one PATCH. A 2024 server, when the batch needs
 * what it lacks (a mode other than `failOnNotFound`, or entries without a value): one list of
 * the folder (its own shared secrets, unexpanded), then a PATCH of the existing keys (their
 * stored values filled in where none was given) and, for `upsert`, a POST of the missing ones;
 * plus one refused PATCH the first time. Not atomic there: the create can succeed and the update
 * fail. A missing key under `failOnNotFound` fails naming the keys that are missing.
 */
export async function updateSecretsOnAnyServer(
  send: api.AuthedRequest,
  traits: ServerTraits,
  scope: ResolvedScope,
  secrets: api.BatchSecret[],
  mode: api.BatchUpdateMode,
): Promise<Secret[]> {
  const needsValues = secrets.some((secret) => secret.value === undefined);
  const split =
    (traits.ignoresBatchMode && mode !== 'failOnNotFound') ||
    (traits.patchRequiresValue && needsValues);
  if (!split) {
    try {
      return await api.updateSecrets(send, scope, secrets, mode);
    } catch (error) {
      if (needsValues && refusedForMissingValue(error)) traits.patchRequiresValue = true;
      else if (mode !== 'failOnNotFound' && missingKeysRefusal(error))
        traits.ignoresBatchMode = true;
      else if (missingKeysRefusal(error))
        throw await truthfulMissing(
          send,
          scope,
          secrets.map((secret) => secret.key),
          error,
        );
      else throw error;
    }
  }
  const stored = await storedValues(send, scope, 'shared');
  const missing = secrets.filter((secret) => !stored.has(secret.key));
  if (mode === 'failOnNotFound' && missing.length > 0)
    throw missingError(
      scope,
      missing.map((secret) => secret.key),
    );
  const existing = secrets
    .filter((secret) => stored.has(secret.key))
    .map((secret) =>
      secret.value === undefined ? { ...secret, value: stored.get(secret.key) } : secret,
    );
  const created =
    mode === 'upsert' && missing.length > 0 ? await api.createSecrets(send, scope, missing) : [];
  const updated =
    existing.length > 0 ? await api.updateSecrets(send, scope, existing, 'failOnNotFound') : [];
  return inInputOrder(secrets, [...created, ...updated]);
}

/**
 * `deleteSecrets` on any server: one DELETE. A 404 for missing keys (2024-10 names the keys it
 * found instead) costs one list of the folder to name the missing ones.
 */
export async function deleteSecretsOnAnyServer(
  send: api.AuthedRequest,
  scope: ResolvedScope,
  keys: string[],
  type: SecretType,
): Promise<Secret[]> {
  try {
    return await api.deleteSecrets(send, scope, keys, type);
  } catch (error) {
    if (!missingKeysRefusal(error)) throw error;
    throw await truthfulMissing(send, scope, keys, error, type);
  }
}

/** The folder's own stored (unexpanded) values of one type, by key. */
async function storedValues(
  send: api.AuthedRequest,
  scope: ResolvedScope,
  type: SecretType,
): Promise<Map<string, string>> {
  const ref = folderRef(scope, { includeImports: false, expandSecretReferences: false });
  const snapshot = await api.fetchFolder(send, ref);
  return new Map(
    snapshot.secrets
      .filter((secret) => secret.type === type)
      .map((secret) => [secret.key, secret.value]),
  );
}

/** The error naming the keys of `keys` the folder does not hold, or `original` when all exist. */
async function truthfulMissing(
  send: api.AuthedRequest,
  scope: ResolvedScope,
  keys: string[],
  original: InfisicalError,
  type: SecretType = 'shared',
): Promise<InfisicalError> {
  const stored = await storedValues(send, scope, type).catch(() => undefined);
  const missing = stored === undefined ? [] : keys.filter((key) => !stored.has(key));
  return missing.length === 0 ? original : missingError(scope, missing, original);
}

function missingError(
  { projectId, environment, path }: ResolvedScope,
  missing: string[],
  cause?: InfisicalError,
): InfisicalError {
  const unique = [...new Set(missing)];
  return new InfisicalError(
    'NOT_FOUND',
    `Secrets ${unique.map((key) => `"${key}"`).join(', ')} do not exist in project ${projectId}, environment "${environment}", path "${path}"; nothing was changed. Fix: check the keys, or use mode 'upsert' or 'ignore'.`,
    { status: cause?.status ?? 404, details: { missing: unique }, cause },
  );
}

/** Results ordered as the entries that produced them (a renamed entry by its new name). */
function inInputOrder(secrets: api.BatchSecret[], results: Secret[]): Secret[] {
  const rank = new Map<string, number>();
  secrets.forEach((secret, index) => {
    if (!rank.has(secret.newName ?? secret.key)) rank.set(secret.newName ?? secret.key, index);
  });
  const at = (secret: Secret): number => rank.get(secret.key) ?? secrets.length;
  return [...results].sort((a, b) => at(a) - at(b));
}
