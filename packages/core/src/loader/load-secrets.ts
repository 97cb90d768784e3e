/**
 * The one loader every framework adapter calls: it resolves the shared options, loads a snapshot
 * of key → value, tells public keys from private ones, injects into `process.env`, checks
 * required keys and a schema, and follows changes.
 *
 * @module
 */
import { InfisicalClient, type SecretsChange } from '../client/infisical-client.js';
import type { InfisicalClientOptions } from '../client/options.js';
import { InfisicalError, isInfisicalError } from '../errors/infisical-error.js';
import { findLeaks } from '../leaks/find-leaks.js';
import type { LeakFinding } from '../leaks/report.js';
import { envValue, processEnv } from '../runtime/env.js';
import { secretValues } from '../secrets/merge.js';
import type { FolderQuery } from '../secrets/secrets-api.js';
import type { ResolvedScope } from '../secrets/types.js';
import { injectEnv } from './env-injection.js';
import { createPublicFilter, type ExposureOptions, partitionByExposure } from './exposure.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import { checkRequired, validateWithSchema } from './validation.js';

/** The options every adapter shares: the client's, the folder to load, exposure, env and checks. */
export interface InfisicalLoadOptions extends InfisicalClientOptions, FolderQuery, ExposureOptions {
  /** Folder path to load. @default '/' (env `INFISICAL_SECRET_PATH`) */
  path?: string;
  /** Use this client instead of creating one from the options above. */
  client?: InfisicalClient;
  /**
   * Write the secrets into `process.env`. Variables already set are kept unless `overrideEnv`;
   * variables this loader set are updated when secrets rotate.
   * @default false (adapters choose their own default)
   */
  injectEnv?: boolean;
  /** Overwrite environment variables that are already set. @default false */
  overrideEnv?: boolean;
  /** Keys that must exist and be non-empty, or loading fails with `MISSING_SECRETS`. */
  required?: readonly string[];
  /** A Standard Schema (zod, valibot, arktype) the values must satisfy, or loading fails with `SCHEMA_INVALID`. */
  schema?: StandardSchemaV1;
  /**
   * When the first load fails (Infisical unreachable, refused), continue with the environment
   * variables already set instead of failing; required keys and the schema are then checked
   * against them.
   * @default false
   */
  fallbackToEnv?: boolean;
  /**
   * Do not contact Infisical at all (a build without credentials); the environment variables
   * are used as they are. Env: `INFISICAL_SKIP=true`.
   * @default false
   */
  skip?: boolean;
}

/** Where a loaded snapshot came from. */
export type SecretsSource = 'infisical' | 'env-fallback' | 'skipped';

/** A change the loaded secrets went through. */
export interface LoadedSecretsChange {
  /** Keys added, changed or removed (names only). */
  added: string[];
  changed: string[];
  removed: string[];
  /** Whether any of them is public (client code would see it). */
  publicChanged: boolean;
}

/** The secrets an adapter loaded, kept current as they rotate. */
export interface LoadedSecrets {
  /** Key → value of every loaded secret (current). */
  readonly values: Readonly<Record<string, string>>;
  /** The schema's output when a schema was given, else `values`. */
  readonly parsed: unknown;
  /** The public secrets (prefix or allowlist): the only ones client code may see. */
  readonly publicValues: Readonly<Record<string, string>>;
  /** The private secrets. */
  readonly privateValues: Readonly<Record<string, string>>;
  /** Where the values came from. */
  readonly source: SecretsSource;
  /** Whether a key is public. */
  isPublic(key: string): boolean;
  /**
   * The current values, read through the client's cache: refetched once the cache TTL has
   * passed (listeners hear about changes first), the last good values when a refetch fails.
   */
  read(): Promise<Readonly<Record<string, string>>>;
  /** Refetches now; listeners hear about changes. */
  refresh(): Promise<void>;
  /** Calls `listener` after the values changed (already updated, env re-injected). Returns an unsubscribe. */
  subscribe(listener: (change: LoadedSecretsChange) => void): () => void;
  /** Private values found in `text` (keys and file only). */
  findLeaks(text: string, file?: string): LeakFinding[];
  /** Stops following changes (and closes the client when the loader created it). */
  close(): void;
}

/**
 * Loads the secrets of one folder for an adapter.
 *
 * @throws InfisicalError the load's error (unless `fallbackToEnv`), `MISSING_SECRETS` or `SCHEMA_INVALID`.
 */
export async function loadSecrets(options: InfisicalLoadOptions = {}): Promise<LoadedSecrets> {
  const env = options.env ?? processEnv();
  const target = processEnv();
  const isPublic = createPublicFilter(options);
  const skip = options.skip ?? envValue(env, 'INFISICAL_SKIP') === 'true';
  const query: FolderQuery = {
    recursive: options.recursive ?? false,
    includeImports: options.includeImports ?? true,
    expandSecretReferences: options.expandSecretReferences ?? true,
    ...(options.tagSlugs ? { tagSlugs: options.tagSlugs } : {}),
  };
  const scope = {
    ...(options.projectId === undefined ? {} : { projectId: options.projectId }),
    ...(options.environment === undefined ? {} : { environment: options.environment }),
    ...(options.path === undefined ? {} : { path: options.path }),
  };

  let source: SecretsSource = 'infisical';
  let client: InfisicalClient | undefined;
  let values: Record<string, string> = {};
  let resolved: ResolvedScope | undefined;
  if (skip) {
    source = 'skipped';
  } else {
    try {
      client = options.client ?? new InfisicalClient(options);
      resolved = client.resolveScope(scope);
      values = secretValues(await client.listSecrets({ ...resolved, ...query }));
    } catch (error) {
      if (!options.fallbackToEnv) throw error;
      source = 'env-fallback';
      options.onError?.(
        isInfisicalError(error)
          ? error
          : new InfisicalError('HTTP_ERROR', 'Loading secrets failed', { cause: error }),
      );
    }
  }

  const owned = new Set<string>();
  if (options.injectEnv && source === 'infisical') {
    for (const key of injectEnv(target, values, { override: options.overrideEnv ?? false }))
      owned.add(key);
  }
  // Without Infisical values, checks run against the environment as it is.
  const checked = source === 'infisical' ? values : stringEntries(target);
  if (options.required) checkRequired(checked, options.required);
  let parsed: unknown = options.schema
    ? await validateWithSchema(checked, options.schema)
    : checked;

  let parts = partitionByExposure(values, isPublic);
  const listeners = new Set<(change: LoadedSecretsChange) => void>();
  const ownsClient = client !== undefined && options.client === undefined;

  const onChange = async (change: SecretsChange) => {
    if (!resolved || !sameFolder(change, resolved, query)) return;
    const next = secretValues(change.secrets);
    try {
      if (options.required) checkRequired(next, options.required);
      parsed = options.schema ? await validateWithSchema(next, options.schema) : next;
    } catch (error) {
      // Keep serving the last good values.
      options.onError?.(error as InfisicalError);
      return;
    }
    values = next;
    parts = partitionByExposure(values, isPublic);
    if (options.injectEnv) {
      for (const key of change.removed) if (owned.has(key)) delete target[key];
      for (const key of injectEnv(target, values, {
        override: options.overrideEnv ?? false,
        owned,
      }))
        owned.add(key);
    }
    const keys = [...change.added, ...change.changed, ...change.removed];
    const event = {
      added: change.added,
      changed: change.changed,
      removed: change.removed,
      publicChanged: keys.some(isPublic),
    };
    for (const listener of listeners) listener(event);
  };
  // Changes are applied one after another; read() waits for the ones its fetch started.
  let applying: Promise<void> = Promise.resolve();
  const unsubscribe = client?.onChange((change) => {
    applying = applying.then(() => onChange(change));
  });

  return {
    get values() {
      return values;
    },
    get parsed() {
      return parsed;
    },
    get publicValues() {
      return parts.publicValues;
    },
    get privateValues() {
      return parts.privateValues;
    },
    source,
    isPublic,
    async read() {
      if (client && resolved) {
        try {
          await client.listSecrets({ ...resolved, ...query });
        } catch (error) {
          // Nothing cached to serve (the cache was cleared): keep the last good values.
          options.onError?.(
            isInfisicalError(error)
              ? error
              : new InfisicalError('HTTP_ERROR', 'Reading secrets failed', { cause: error }),
          );
        }
        await applying;
      }
      return values;
    },
    async refresh() {
      await client?.refresh();
      await applying;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    findLeaks(text, file) {
      return findLeaks(text, parts.privateValues, {
        ...(file === undefined ? {} : { file }),
        publicValues: Object.values(parts.publicValues),
      });
    },
    close() {
      unsubscribe?.();
      listeners.clear();
      if (ownsClient) client?.close();
    },
  };
}

function stringEntries(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Whether a change is about the folder (and list options) this loader loaded. */
function sameFolder(change: SecretsChange, scope: ResolvedScope, query: FolderQuery): boolean {
  return (
    change.projectId === scope.projectId &&
    change.environment === scope.environment &&
    change.path === scope.path &&
    change.query.recursive === query.recursive &&
    change.query.includeImports === query.includeImports &&
    change.query.expandSecretReferences === query.expandSecretReferences
  );
}
