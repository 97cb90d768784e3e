/**
 * The secret shapes the client returns, and the scope every call names.
 *
 * @module
 */

/** `shared` (the project's value) or `personal` (a user's override of it). */
export type SecretType = 'shared' | 'personal';

/** A secret as the client returns it. */
export interface Secret {
  /** Server id of the secret. */
  readonly id: string;
  /** The key, e.g. `DATABASE_URL`. */
  readonly key: string;
  /** The value (references expanded unless asked otherwise). */
  readonly value: string;
  /** `shared`, or `personal` for a user's override. */
  readonly type: SecretType;
  /** Version number; 0 for a value taken from `process.env` (`fallbackToEnv`). */
  readonly version: number;
  /** The secret's comment ("" when none). */
  readonly comment: string;
  /** Environment slug the secret lives in (for an imported secret: the import's). */
  readonly environment: string;
  /** Folder path the secret lives in (for an imported secret: the import's). */
  readonly path: string;
  /** Tag slugs. */
  readonly tags: readonly string[];
  /** Set when the secret came through a secret import rather than from the folder itself. */
  readonly imported?: { readonly environment: string; readonly path: string };
  /** Set when the value came from `process.env` because Infisical had no such key (`fallbackToEnv`). */
  readonly fromEnv?: true;
}

/** Where secrets live: project, environment and folder. */
export interface SecretScope {
  /** Project (workspace) id. Default: the client's `projectId` (env `INFISICAL_PROJECT_ID`). */
  projectId?: string;
  /** Environment slug, e.g. `dev`. Default: the client's `environment` (env `INFISICAL_ENVIRONMENT`). */
  environment?: string;
  /** Folder path. @default '/' (env `INFISICAL_SECRET_PATH`) */
  path?: string;
}

/** A scope with every part known. */
export interface ResolvedScope {
  projectId: string;
  environment: string;
  path: string;
}

/** One folder's secrets as fetched: its own rows and its imports, before merging. */
export interface FolderSnapshot {
  /** The folder's own rows (for a user: shared and personal rows alike). */
  secrets: Secret[];
  /** Imported folders in the server's order (the last one wins). */
  imports: { environment: string; path: string; secrets: Secret[] }[];
}
