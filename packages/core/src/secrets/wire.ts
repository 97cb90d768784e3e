/**
 * The secrets endpoints' JSON as the server sends it, and its mapping to {@link Secret}. Lenient
 * by design: optional fields may be missing (older servers, imports without timestamps).
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';
import type { FolderSnapshot, Secret, SecretType } from './types.js';

/** A `SecretRaw` row as the v3 raw endpoints return it. */
export interface WireSecret {
  id?: string;
  _id?: string;
  environment?: string;
  version?: number;
  type?: string;
  secretKey: string;
  secretValue: string;
  secretComment?: string;
  secretPath?: string;
  tags?: ({ slug?: string } | string)[];
}

/** `GET /api/v3/secrets/raw`. */
export interface WireSecretList {
  secrets: WireSecret[];
  imports?: { secretPath: string; environment: string; secrets: WireSecret[] }[];
}

/** Maps a wire row to a {@link Secret}; `fallback` fills what the row leaves out. */
export function toSecret(
  wire: WireSecret,
  fallback: { environment: string; path: string },
): Secret {
  if (typeof wire?.secretKey !== 'string' || typeof wire.secretValue !== 'string') {
    throw new InfisicalError(
      'HTTP_ERROR',
      'Infisical answered a secret without secretKey or secretValue. Fix: check that siteUrl points at the Infisical API.',
    );
  }
  return Object.freeze({
    id: wire.id ?? wire._id ?? '',
    key: wire.secretKey,
    value: wire.secretValue,
    type: (wire.type === 'personal' ? 'personal' : 'shared') as SecretType,
    version: typeof wire.version === 'number' ? wire.version : 1,
    comment: wire.secretComment ?? '',
    environment: wire.environment || fallback.environment,
    path: wire.secretPath || fallback.path,
    tags: (wire.tags ?? [])
      .map((tag) => (typeof tag === 'string' ? tag : (tag.slug ?? '')))
      .filter(Boolean),
  });
}

/** Maps a list answer to a {@link FolderSnapshot}. */
export function toSnapshot(
  list: WireSecretList,
  scope: { environment: string; path: string },
): FolderSnapshot {
  if (!list || !Array.isArray(list.secrets)) {
    throw new InfisicalError(
      'HTTP_ERROR',
      'Infisical answered a secret list without "secrets". Fix: check that siteUrl points at the Infisical API.',
    );
  }
  return {
    secrets: list.secrets.map((wire) => toSecret(wire, scope)),
    imports: (list.imports ?? []).map((imp) => {
      const where = { environment: imp.environment, path: imp.secretPath };
      return {
        ...where,
        secrets: (imp.secrets ?? []).map((wire) =>
          Object.freeze({ ...toSecret(wire, where), imported: where }),
        ),
      };
    }),
  };
}
