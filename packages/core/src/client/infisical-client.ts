/**
 * The client: it composes the transport, the token manager and the cache into the secrets and
 * folders API.
 *
 * @module
 */
import type { Logger } from '../api/logger.js';
import { silentLogger } from '../api/logger.js';
import { type ApiRequest, Transport } from '../api/transport.js';
import { resolveAuth } from '../auth/resolve-auth.js';
import { TokenManager } from '../auth/token-manager.js';
import { diffSnapshots, hasChanges } from '../cache/diff.js';
import { TtlCache } from '../cache/ttl-cache.js';
import { InfisicalError, isInfisicalError } from '../errors/infisical-error.js';
import { type EnvSource, envValue, processEnv } from '../runtime/env.js';
import { findInSnapshot, mergeSnapshot, secretValues } from '../secrets/merge.js';
import { normalizeSecretPath } from '../secrets/path.js';
import * as api from '../secrets/secrets-api.js';
import type {
  FolderSnapshot,
  ResolvedScope,
  Secret,
  SecretScope,
  SecretType,
} from '../secrets/types.js';
import type { InfisicalClientOptions } from './options.js';

const DEFAULT_SITE_URL = 'https://app.infisical.com';
const DEFAULT_CACHE_TTL = 300;

/** Options of {@link InfisicalClient.listSecrets}. */
export interface ListSecretsOptions extends SecretScope, api.FolderQuery {
  /**
   * Also write the secrets into `process.env`, without overwriting variables already set.
   * @default false
   */
  attachToProcessEnv?: boolean;
}

/** Options of {@link InfisicalClient.getSecret}. */
export interface GetSecretOptions
  extends SecretScope,
    Omit<api.FolderQuery, 'recursive' | 'tagSlugs'> {
  /** `shared` (default): the project's value; `personal`: the caller's own override (users only). */
  type?: SecretType;
  /** A past version; read from the server, not the cache. */
  version?: number;
  /**
   * When Infisical has no such key, return the environment variable of that name (the client's
   * `env`, by default `process.env`) instead of failing.
   * @default false
   */
  fallbackToEnv?: boolean;
}

/** A change to a cached folder's secrets, found by a refetch. */
export interface SecretsChange extends ResolvedScope {
  /** The list options the folder was fetched with. */
  query: api.FolderQuery;
  /** Keys that appeared, changed value, or disappeared (names only). */
  added: string[];
  changed: string[];
  removed: string[];
  /** The folder's merged secrets after the change. */
  secrets: readonly Secret[];
}

interface CacheKeyInfo {
  scope: ResolvedScope;
  query: api.FolderQuery;
}

/**
 * An Infisical client: `new InfisicalClient({ auth: { universalAuth: { clientId, clientSecret } } })`.
 * Logs in lazily on the first request, renews its token before it expires, and serves secret
 * reads from a TTL cache with stale-if-error. Runs wherever `fetch` and Web Crypto exist.
 */
export class InfisicalClient {
  readonly #siteUrl: string;
  readonly #defaults: { projectId?: string; environment?: string; path: string };
  readonly #env: EnvSource;
  readonly #logger: Logger;
  readonly #transport: Transport;
  readonly #tokens: TokenManager;
  readonly #cache: TtlCache<FolderSnapshot>;
  readonly #cacheTtl: number;
  readonly #keys = new Map<string, CacheKeyInfo>();
  readonly #listeners = new Set<(change: SecretsChange) => void>();
  readonly #onError: ((error: InfisicalError) => void) | undefined;
  readonly #refreshInterval: number;
  readonly #defaultReadKeys: (string | undefined)[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  /** @throws InfisicalError `CONFIG_INVALID` or `CREDENTIALS_UNAVAILABLE` for unusable options. */
  constructor(options: InfisicalClientOptions = {}) {
    const env = options.env ?? processEnv();
    this.#env = env;
    this.#siteUrl = (
      options.siteUrl ??
      envValue(env, 'INFISICAL_SITE_URL') ??
      DEFAULT_SITE_URL
    ).replace(/\/+$/, '');
    this.#logger = resolveLogger(options.debug ?? envValue(env, 'INFISICAL_DEBUG') === 'true');
    this.#cacheTtl = seconds(
      options.cacheTtl ?? envValue(env, 'INFISICAL_CACHE_TTL') ?? DEFAULT_CACHE_TTL,
      'cacheTtl',
    );
    this.#refreshInterval =
      options.refreshInterval === true
        ? this.#cacheTtl
        : seconds(options.refreshInterval ?? 0, 'refreshInterval');
    this.#defaults = {
      ...optional('projectId', options.projectId ?? envValue(env, 'INFISICAL_PROJECT_ID')),
      ...optional('environment', options.environment ?? envValue(env, 'INFISICAL_ENVIRONMENT')),
      path: normalizeSecretPath(envValue(env, 'INFISICAL_SECRET_PATH') ?? '/'),
    };
    this.#onError = options.onError;
    this.#transport = new Transport({
      siteUrl: this.#siteUrl,
      ...optional('fetch', options.fetch),
      ...optional('timeoutMs', options.timeout),
      ...optional('retry', options.retry),
      logger: this.#logger,
    });
    const fetchFn =
      options.fetch ??
      ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    this.#tokens = new TokenManager(resolveAuth(options.auth, env), {
      transport: this.#transport,
      fetch: fetchFn,
      logger: this.#logger,
    });
    this.#cache = new TtlCache<FolderSnapshot>({
      ttlMs: this.#cacheTtl * 1000,
      ...optional('store', options.cacheStore),
      onError: (error) =>
        this.#report(error, 'Infisical refetch failed; serving the cached secrets'),
      onUpdate: (key, next, previous) => this.#emitChange(key, next, previous),
    });
  }

  /** The Infisical instance this client talks to. */
  get siteUrl(): string {
    return this.#siteUrl;
  }

  /**
   * The secrets of a folder, merged: local secrets win over imported ones, the last import wins,
   * and a user's personal override replaces the shared value. Served from the cache.
   */
  async listSecrets(options: ListSecretsOptions = {}): Promise<Secret[]> {
    const scope = this.#scope(options);
    const query = folderQuery(options);
    const secrets = mergeSnapshot(await this.#folder(scope, query));
    if (options.attachToProcessEnv) {
      const target = processEnv();
      for (const secret of secrets)
        if (target[secret.key] === undefined) target[secret.key] = secret.value;
    }
    return [...secrets];
  }

  /**
   * One secret, read from the folder's cached list (so reading many keys of a folder costs one
   * request). Without `type` the shared value; with `type: 'personal'` the caller's override.
   *
   * @throws InfisicalError `NOT_FOUND` when the key does not exist (unless `fallbackToEnv` finds it).
   */
  getSecret(name: string, options: GetSecretOptions = {}): Promise<Secret> {
    // Hot path, without an async frame: a fresh cached folder answers without a request.
    try {
      if (options.version === undefined) {
        const cached = this.#cache.getFresh(this.#readKey(options));
        const hit = cached && findInSnapshot(cached, name, options.type ?? 'shared');
        if (hit) return Promise.resolve(hit);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#readSecret(name, options);
  }

  /** The cache key a read addresses; built once per flag combination for the default scope. */
  #readKey(options: GetSecretOptions): string {
    const query = {
      includeImports: options.includeImports ?? true,
      expandSecretReferences: options.expandSecretReferences ?? true,
    };
    if (
      options.projectId !== undefined ||
      options.environment !== undefined ||
      options.path !== undefined
    ) {
      return cacheKey(this.#scope(options), query);
    }
    const slot = (query.includeImports ? 2 : 0) + (query.expandSecretReferences ? 1 : 0);
    this.#defaultReadKeys[slot] ??= cacheKey(this.#scope({}), query);
    return this.#defaultReadKeys[slot];
  }

  async #readSecret(name: string, options: GetSecretOptions): Promise<Secret> {
    const scope = this.#scope(options);
    const type = options.type ?? 'shared';
    const includeImports = options.includeImports ?? true;
    const expandSecretReferences = options.expandSecretReferences ?? true;
    if (options.version !== undefined) {
      return this.#fallback(name, scope, options, () =>
        api.fetchSecret(this.#send, scope, name, {
          type,
          version: options.version,
          includeImports,
          expandSecretReferences,
        }),
      );
    }
    const query = { includeImports, expandSecretReferences };
    return this.#fallback(name, scope, options, async () => {
      const snapshot = await this.#folder(scope, query);
      const secret = findInSnapshot(snapshot, name, type);
      if (!secret) {
        throw new InfisicalError(
          'NOT_FOUND',
          `Secret "${name}" (${type}) does not exist in project ${scope.projectId}, environment "${scope.environment}", path "${scope.path}". Fix: check the key, environment and path.`,
        );
      }
      return secret;
    });
  }

  /** Creates a secret. */
  async createSecret(
    name: string,
    options: SecretScope & api.SecretWriteFields & { value: string },
  ): Promise<Secret> {
    return this.#write(options, (scope) => api.createSecret(this.#send, scope, name, options));
  }

  /** Updates a secret (a new version); `newName` renames it, and the server rewrites references to it. */
  async updateSecret(
    name: string,
    options: SecretScope & api.SecretWriteFields & { newName?: string },
  ): Promise<Secret> {
    return this.#write(options, (scope) => api.updateSecret(this.#send, scope, name, options));
  }

  /** Deletes a secret. */
  async deleteSecret(
    name: string,
    options: SecretScope & { type?: SecretType } = {},
  ): Promise<Secret> {
    return this.#write(options, (scope) =>
      api.deleteSecret(this.#send, scope, name, options.type ?? 'shared'),
    );
  }

  /** Creates several shared secrets in one folder, all or nothing. */
  async createSecrets(options: SecretScope & { secrets: api.BatchSecret[] }): Promise<Secret[]> {
    return this.#write(options, (scope) => api.createSecrets(this.#send, scope, options.secrets));
  }

  /** Updates several shared secrets; `mode` says what to do with missing keys. */
  async updateSecrets(
    options: SecretScope & { secrets: api.BatchSecret[]; mode?: api.BatchUpdateMode },
  ): Promise<Secret[]> {
    return this.#write(options, (scope) =>
      api.updateSecrets(this.#send, scope, options.secrets, options.mode ?? 'failOnNotFound'),
    );
  }

  /** Deletes several secrets of one folder. */
  async deleteSecrets(
    options: SecretScope & { keys: string[]; type?: SecretType },
  ): Promise<Secret[]> {
    return this.#write(options, (scope) =>
      api.deleteSecrets(this.#send, scope, options.keys, options.type ?? 'shared'),
    );
  }

  /** The sub-folders of a path. */
  async listFolders(options: SecretScope = {}): Promise<api.Folder[]> {
    return api.listFolders(this.#send, this.#scope(options));
  }

  /** Creates a folder `name` under the scope's path. */
  async createFolder(
    name: string,
    options: SecretScope & { description?: string } = {},
  ): Promise<api.Folder> {
    return this.#write(options, (scope) =>
      api.createFolder(this.#send, scope, name, options.description),
    );
  }

  /** Deletes a sub-folder (by id or name) of the scope's path, with everything in it. */
  async deleteFolder(idOrName: string, options: SecretScope = {}): Promise<api.Folder> {
    return this.#write(options, (scope) => api.deleteFolder(this.#send, scope, idOrName));
  }

  /**
   * Refetches every cached folder now (failures are reported through `onError` and the cached
   * values kept). Change events fire for folders whose secrets changed.
   */
  async refresh(): Promise<void> {
    await Promise.all(
      [...this.#keys].map(([key, { scope, query }]) =>
        this.#cache
          .refresh(key, () => api.fetchFolder(this.#send, scope, query))
          .catch((error: unknown) => {
            this.#report(error, 'Infisical refresh failed');
          }),
      ),
    );
  }

  /** Calls `listener` whenever a refetch finds a cached folder's secrets changed. Returns an unsubscribe. */
  onChange(listener: (change: SecretsChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops background refresh and drops listeners. The client stays usable for calls. */
  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#listeners.clear();
  }

  /** What `util.inspect` shows: where and how, never a token or value. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `InfisicalClient { siteUrl: '${this.#siteUrl}', auth: '${this.#tokens.methodName}', cacheTtl: ${this.#cacheTtl} }`;
  }

  /** `JSON.stringify(client)` shows the same safe summary. */
  toJSON(): { siteUrl: string; auth: string; cacheTtl: number } {
    return { siteUrl: this.#siteUrl, auth: this.#tokens.methodName, cacheTtl: this.#cacheTtl };
  }

  /** Sends a request with the current token; a rejected token is dropped and the request retried once after a new login. */
  readonly #send: api.AuthedRequest = async <T>(request: Omit<ApiRequest, 'token'>): Promise<T> => {
    const token = await this.#tokens.token();
    try {
      return await this.#transport.request<T>({ ...request, token });
    } catch (error) {
      if (!isInfisicalError(error) || error.code !== 'UNAUTHORIZED' || !this.#tokens.canRelogin)
        throw error;
      this.#logger.debug('Infisical rejected the access token; logging in again', {
        status: error.status,
      });
      this.#tokens.invalidate(token);
      return this.#transport.request<T>({ ...request, token: await this.#tokens.token() });
    }
  };

  async #folder(scope: ResolvedScope, query: api.FolderQuery): Promise<FolderSnapshot> {
    const key = cacheKey(scope, query);
    if (!this.#keys.has(key)) {
      this.#keys.set(key, { scope, query });
      this.#startTimer();
    }
    return this.#cache.get(key, () => api.fetchFolder(this.#send, scope, query));
  }

  async #write<T>(options: SecretScope, write: (scope: ResolvedScope) => Promise<T>): Promise<T> {
    const scope = this.#scope(options);
    const result = await write(scope);
    // Any cached folder of the project may show this change (imports, references): drop them.
    await Promise.all(
      [...this.#keys]
        .filter(([, info]) => info.scope.projectId === scope.projectId)
        .map(([key]) => this.#cache.delete(key)),
    );
    return result;
  }

  async #fallback(
    name: string,
    scope: ResolvedScope,
    options: GetSecretOptions,
    read: () => Promise<Secret>,
  ): Promise<Secret> {
    try {
      return await read();
    } catch (error) {
      const value = this.#env[name];
      if (
        !options.fallbackToEnv ||
        !isInfisicalError(error) ||
        error.code !== 'NOT_FOUND' ||
        value === undefined
      )
        throw error;
      this.#logger.debug('Infisical has no such secret; using the environment variable', {
        key: name,
      });
      return {
        id: '',
        key: name,
        value,
        type: 'shared',
        version: 0,
        comment: '',
        environment: scope.environment,
        path: scope.path,
        tags: [],
        fromEnv: true,
      };
    }
  }

  /** The full scope a call with these options addresses (client defaults filled in). */
  resolveScope(options: SecretScope = {}): ResolvedScope {
    return this.#scope(options);
  }

  #scope(options: SecretScope): ResolvedScope {
    const projectId = options.projectId ?? this.#defaults.projectId;
    const environment = options.environment ?? this.#defaults.environment;
    if (!projectId) {
      throw new InfisicalError(
        'CONFIG_INVALID',
        'No project id. Fix: pass projectId (to the call or the client) or set INFISICAL_PROJECT_ID.',
      );
    }
    if (!environment) {
      throw new InfisicalError(
        'CONFIG_INVALID',
        'No environment. Fix: pass environment (to the call or the client) or set INFISICAL_ENVIRONMENT.',
      );
    }
    const path =
      options.path === undefined ? this.#defaults.path : normalizeSecretPath(options.path);
    return { projectId, environment, path };
  }

  #emitChange(key: string, next: FolderSnapshot, previous: FolderSnapshot | undefined): void {
    const info = this.#keys.get(key);
    if (!previous || !info || this.#listeners.size === 0) return;
    const secrets = mergeSnapshot(next);
    const diff = diffSnapshots(secretValues(mergeSnapshot(previous)), secretValues(secrets));
    if (!hasChanges(diff)) return;
    this.#logger.debug('Infisical secrets changed', { ...info.scope, ...diff });
    const change: SecretsChange = { ...info.scope, query: info.query, ...diff, secrets };
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.#report(error, 'An onChange listener threw');
      }
    }
  }

  #startTimer(): void {
    if (this.#refreshInterval <= 0 || this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.refresh(), this.#refreshInterval * 1000);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #report(error: unknown, message: string): void {
    const wrapped = isInfisicalError(error)
      ? error
      : new InfisicalError(
          'HTTP_ERROR',
          `${message}: ${error instanceof Error ? error.name : 'unknown error'}.`,
          { cause: error },
        );
    this.#logger.debug(message, { code: wrapped.code, status: wrapped.status });
    this.#onError?.(wrapped);
  }
}

function folderQuery(options: api.FolderQuery): api.FolderQuery {
  return {
    recursive: options.recursive ?? false,
    includeImports: options.includeImports ?? true,
    expandSecretReferences: options.expandSecretReferences ?? true,
    tagSlugs: [...(options.tagSlugs ?? [])].sort(),
  };
}

/** The cache key of a folder and list options (ids and slugs hold no NUL). */
function cacheKey(scope: ResolvedScope, query: api.FolderQuery): string {
  const flags = `${query.recursive ? 1 : 0}${query.includeImports === false ? 0 : 1}${query.expandSecretReferences === false ? 0 : 1}`;
  const tags = query.tagSlugs?.length ? [...query.tagSlugs].sort().join(',') : '';
  return `${scope.projectId}\u0000${scope.environment}\u0000${scope.path}\u0000${flags}\u0000${tags}`;
}

function seconds(value: number | string, name: string): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (!Number.isFinite(number) || number < 0) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      `${name} must be a number of seconds ≥ 0. Fix: pass e.g. 300, or 0 to turn it off.`,
    );
  }
  return number;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function resolveLogger(debug: boolean | Logger): Logger {
  if (typeof debug === 'object') return debug;
  if (!debug) return silentLogger;
  return { debug: (message, fields) => console.debug(`[infisical] ${message}`, fields ?? '') };
}
