/**
 * The client: a façade that composes the transport, the token manager, the folder cache and
 * the endpoints of `api/` into the secrets and folders API.
 *
 * @module
 */
import * as folders from '../api/folders.js';
import type { Logger } from '../api/logger.js';
import type { RateCategory, RateLimitNotice } from '../api/rate-limit.js';
import * as secrets from '../api/secrets.js';
import {
  deleteSecretsOnAnyServer,
  newServerTraits,
  type ServerTraits,
  updateSecretOnAnyServer,
  updateSecretsOnAnyServer,
} from '../api/server-generations.js';
import { type ApiRequest, Transport } from '../api/transport.js';
import { keyMaterialOf } from '../auth/key-material.js';
import { resolveAuth } from '../auth/resolve-auth.js';
import { REVOKE_TIMEOUT_MS, revokeToken } from '../auth/revoke.js';
import { TokenManager } from '../auth/token-manager.js';
import {
  FolderCache,
  type FolderChange,
  type FolderQuery,
  type FolderRef,
  folderRef,
  type NormalizedFolderQuery,
} from '../cache/folder-cache.js';
import { VersionCache } from '../cache/version-cache.js';
import { checkOptionNames } from '../config/option-names.js';
import { booleanOption } from '../config/option-values.js';
import { InfisicalError, isInfisicalError } from '../errors/infisical-error.js';
import { Fleet, type FleetMessage } from '../fleet/fleet.js';
import { SharedFolders } from '../fleet/shared-folders.js';
import { SharedTokens } from '../fleet/shared-tokens.js';
import { injectEnv } from '../loader/env-injection.js';
import { ProjectEventStream } from '../push/event-stream.js';
import { processEnv } from '../runtime/env.js';
import { findInSnapshot, mergeSnapshot, secretValues } from '../secrets/merge.js';
import { normalizeSecretPath } from '../secrets/path.js';
import type { ResolvedScope, Secret, SecretScope, SecretType } from '../secrets/types.js';
import {
  type ClientSettings,
  type InfisicalClientOptions,
  resolveClientSettings,
} from './options.js';

/** Options of {@link InfisicalClient.listSecrets}. */
export interface ListSecretsOptions extends SecretScope, FolderQuery {
  /**
   * Also write the secrets into `process.env`, without overwriting variables already set (the
   * same name as the loader's option; `attachToProcessEnv` is refused with a pointer here).
   * @default false
   */
  injectEnv?: boolean;
}

/** Options of {@link InfisicalClient.getSecret}. */
export interface GetSecretOptions
  extends SecretScope,
    Pick<FolderQuery, 'includeImports' | 'expandSecretReferences'> {
  /** `shared` (default): the project's value; `personal`: the caller's own override (users only). */
  type?: SecretType;
  /** A past version, read from the server once per key, type, version and flags (see {@link InfisicalClient.getSecret}). */
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
  /** The list options the folder was fetched with, defaults filled in. */
  query: NormalizedFolderQuery;
  /** Keys that appeared, changed value, or disappeared (names only, sorted). */
  added: string[];
  changed: string[];
  removed: string[];
  /** The folder's merged secrets after the change. */
  secrets: readonly Secret[];
}

/** Fields a create or update may set (see {@link InfisicalClient.createSecret}). */
export type { BatchSecret, BatchUpdateMode, SecretWriteFields } from '../api/secrets.js';

const SCOPE_NAMES = ['projectId', 'environment', 'path'] as const;
const QUERY_NAMES = ['recursive', 'includeImports', 'expandSecretReferences', 'tagSlugs'] as const;
const WRITE_NAMES = ['value', 'comment', 'type', 'tagIds', 'skipMultilineEncoding'] as const;
const NAMES = {
  listSecrets: [...SCOPE_NAMES, ...QUERY_NAMES, 'injectEnv'],
  createSecret: [...SCOPE_NAMES, ...WRITE_NAMES],
  updateSecret: [...SCOPE_NAMES, ...WRITE_NAMES, 'newName'],
  deleteSecret: [...SCOPE_NAMES, 'type'],
  createSecrets: [...SCOPE_NAMES, 'secrets'],
  updateSecrets: [...SCOPE_NAMES, 'secrets', 'mode'],
  deleteSecrets: [...SCOPE_NAMES, 'keys', 'type'],
  listFolders: [...SCOPE_NAMES],
  createFolder: [...SCOPE_NAMES, 'description'],
  deleteFolder: [...SCOPE_NAMES],
};
const RENAMED = { attachToProcessEnv: 'injectEnv' };
/** The names getSecret takes, as a null-prototype lookup: the read hot path checks every key. */
const GET_SECRET_NAMES: Readonly<Record<string, true>> = /* @__PURE__ */ Object.freeze(
  Object.assign(Object.create(null) as Record<string, true>, {
    projectId: true,
    environment: true,
    path: true,
    includeImports: true,
    expandSecretReferences: true,
    type: true,
    version: true,
    fallbackToEnv: true,
  }),
);

/**
 * A server answered another version than the one asked: 2024 servers ignore `version` on a get
 * and return the current row (capture `get-secret-version-1.json`). Failing beats returning the
 * wrong value.
 */
function versionIgnored(name: string, asked: number, answered: number): InfisicalError {
  return new InfisicalError(
    'UNSUPPORTED_BY_SERVER',
    `Infisical answered version ${answered} of secret "${name}" when version ${asked} was asked: this server does not read past versions (Infisical releases of 2024 ignore \`version\` and return the current one). Fix: read past versions on a newer Infisical server, or in the dashboard's version history.`,
    { details: { asked, answered } },
  );
}

/** The fleet message type of a rate limit one instance met. */
const RATE_LIMIT_MESSAGE = 'rate-limit';
const RATE_CATEGORIES: ReadonlySet<unknown> = new Set<RateCategory>(['secrets', 'write', 'read']);

/** The rate-limit notice a fleet message carries, or undefined when it is malformed. */
function rateLimitNotice(message: FleetMessage): RateLimitNotice | undefined {
  const { category, waitMs } = message;
  if (!RATE_CATEGORIES.has(category) || typeof waitMs !== 'number' || !Number.isFinite(waitMs))
    return undefined;
  return { category: category as RateCategory, waitMs };
}

/** The value of `key` in `map`, created first when absent. */
function entryOf<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** What the loader needs from a client beyond its public API (not exported from the package). */
export interface ClientInternals {
  readonly folders: FolderCache;
  readonly settings: ClientSettings;
  /** The client's fleet (`fleet` option): scoped, sealed, guarded locks and bus for push updates. */
  readonly fleet: Fleet | undefined;
  /** The full scope a call with these options addresses (client defaults filled in). */
  scope(options: SecretScope): ResolvedScope;
  /** The access token held now (for the leak check and log redaction), if any. */
  accessToken(): string | undefined;
  /** What the identity's local keys derive from, when its login method has a stable secret. */
  readonly keyMaterial: (() => Promise<string>) | undefined;
  /** The token to revoke (obtained by login), taken so it is revoked once; see `revokeOnExit`. */
  takeRevocable(): string | undefined;
}

const internals = new WeakMap<InfisicalClient, ClientInternals>();

/** The internals of a client of this copy of the package. */
export function clientInternals(client: InfisicalClient): ClientInternals {
  const found = internals.get(client);
  if (found === undefined) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'client is not an InfisicalClient of this copy of @infisical/core. Fix: create it with the same package the loader comes from, or pass the client options instead.',
    );
  }
  return found;
}

/**
 * An Infisical client: `new InfisicalClient({ auth: { universalAuth: { clientId, clientSecret } } })`.
 * Logs in lazily on the first request, renews its token before it expires, and serves secret
 * reads from a TTL cache (stale-while-revalidate, stale-if-error). Runs wherever `fetch` and Web
 * Crypto exist.
 */
export class InfisicalClient {
  readonly #settings: ClientSettings;
  readonly #logger: Logger;
  readonly #transport: Transport;
  readonly #tokens: TokenManager;
  readonly #folders: FolderCache;
  readonly #fleet: Fleet | undefined;
  readonly #sharedFolders: SharedFolders | undefined;
  readonly #abort = new AbortController();
  /** What this client learnt about its server's generation (see api/server-generations). */
  readonly #traits: ServerTraits = newServerTraits();
  readonly #versions: VersionCache;
  /** Read refs of the default scope, per flag combination: the hot path builds no key. */
  readonly #defaultRefs: (FolderRef | undefined)[] = [];
  /** Read refs by the scope options as given (project → environment → path), so a read naming its scope builds no key either. */
  readonly #scopedRefs = new Map<unknown, Map<unknown, Map<unknown, (FolderRef | undefined)[]>>>();
  #scopedCount = 0;
  /** The event stream of each project read (`updates`). */
  readonly #streams = new Map<string, ProjectEventStream>();

  /** @throws InfisicalError `CONFIG_INVALID` or `CREDENTIALS_UNAVAILABLE` for unusable options. */
  constructor(options: InfisicalClientOptions = {}) {
    const settings = resolveClientSettings(options);
    this.#settings = settings;
    this.#logger = settings.logger;
    this.#transport = new Transport({
      siteUrl: settings.siteUrl,
      fetch: settings.fetch,
      timeoutMs: settings.timeoutMs,
      retry: settings.retry,
      logger: settings.logger,
      signal: this.#abort.signal,
      // The fleet shares the server's budget (one IP behind a NAT): every instance holds back.
      onRateLimited: (notice) => void this.#fleet?.publish(RATE_LIMIT_MESSAGE, { ...notice }),
    });
    const method = resolveAuth(options.auth, settings.env);
    const fleet =
      settings.fleet &&
      new Fleet(settings.fleet, {
        identity: method.fleetIdentity?.(),
        methodName: method.name,
        siteUrl: settings.siteUrl,
        logger: settings.logger,
        report: (error) => this.#report(error, 'The fleet store failed'),
      });
    this.#fleet = fleet;
    if (fleet?.settings.bus) {
      fleet.on(RATE_LIMIT_MESSAGE, (message) => {
        const notice = rateLimitNotice(message);
        if (notice !== undefined) this.#transport.holdBack(notice);
      });
      void fleet.join();
    }
    this.#tokens = new TokenManager(
      method,
      { transport: this.#transport, fetch: settings.fetch, logger: settings.logger },
      Date.now,
      fleet?.settings.tokens && new SharedTokens(fleet),
    );
    const fetchFolder = (ref: FolderRef) => secrets.fetchFolder(this.#send, ref);
    // With caching off (cacheTtl 0) every read goes to Infisical: nothing to share.
    const shared =
      fleet?.settings.cache && settings.cacheTtlMs > 0
        ? new SharedFolders({
            fleet,
            ttlMs: settings.cacheTtlMs,
            fetch: fetchFolder,
            refresh: (ref) => this.#folders.refresh(ref, 'read'),
            tracked: () => this.#folders.tracked(),
            logger: settings.logger,
          })
        : undefined;
    this.#sharedFolders = shared;
    this.#folders = new FolderCache({
      fetch: shared ? (ref, mode) => shared.fetch(ref, mode) : fetchFolder,
      fetchedAt: shared && ((snapshot) => shared.fetchedAt(snapshot)),
      ttlMs: settings.cacheTtlMs,
      staleWhileRevalidate: settings.staleWhileRevalidate,
      refreshIntervalMs: settings.refreshIntervalMs,
      store: settings.cacheStore,
      report: (error, context) => this.#report(error, context),
      logger: settings.logger,
      onTrack: settings.eventStream ? (ref) => this.#watch(ref.scope.projectId) : undefined,
    });
    this.#versions = new VersionCache(settings.cacheTtlMs);
    internals.set(this, {
      folders: this.#folders,
      settings,
      fleet,
      scope: (scope) => this.#scope(scope),
      accessToken: () => this.#tokens.currentToken,
      keyMaterial: keyMaterialOf(method),
      takeRevocable: () => this.#tokens.takeRevocable(),
    });
  }

  /** The Infisical instance this client talks to. */
  get siteUrl(): string {
    return this.#transport.baseUrl;
  }

  /**
   * The secrets of a folder, merged: local secrets win over imported ones, the last import wins,
   * and a user's personal override replaces the shared value. Served from the cache.
   */
  async listSecrets(options: ListSecretsOptions = {}): Promise<Secret[]> {
    checkOptionNames(options, NAMES.listSecrets, 'listSecrets options', RENAMED);
    const ref = folderRef(this.#scope(options), options);
    const list = mergeSnapshot(await this.#folders.get(ref));
    if (booleanOption(options.injectEnv, 'injectEnv', false))
      injectEnv(processEnv(), secretValues(list));
    return [...list];
  }

  /**
   * One secret, read from the folder's cached list (so reading many keys of a folder costs one
   * request). Without `type` the shared value; with `type: 'personal'` the caller's override.
   *
   * With `version`, a past version is read from the server (one request per key, type, version
   * and flags, cached like other reads). Servers of 2024 ignore `version` and send the current
   * row: that fails with `UNSUPPORTED_BY_SERVER` rather than return another version's value.
   *
   * @throws InfisicalError `MISSING_SECRETS` when the folder has no such key (unless
   * `fallbackToEnv` finds it), `NOT_FOUND` when the server has no such folder or version,
   * `UNSUPPORTED_BY_SERVER` when the server answered another version than the one asked.
   */
  getSecret(name: string, options: GetSecretOptions = {}): Promise<Secret> {
    // Hot path, without an async frame: a fresh cached folder answers without a request.
    try {
      for (const key in options) {
        if (GET_SECRET_NAMES[key] !== true)
          checkOptionNames(options, Object.keys(GET_SECRET_NAMES), 'getSecret options');
      }
      if (options.version === undefined) {
        const cached = this.#folders.getFresh(this.#readRef(options));
        const hit = cached && findInSnapshot(cached, name, options.type ?? 'shared');
        if (hit) return Promise.resolve(hit);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#readSecret(name, options);
  }

  /** Creates a secret. */
  async createSecret(
    name: string,
    options: SecretScope & secrets.SecretWriteFields & { value: string },
  ): Promise<Secret> {
    return this.#write(options, 'createSecret', (scope) =>
      secrets.createSecret(this.#send, scope, name, options),
    );
  }

  /**
   * Updates a secret (a new version). `newName` renames it; without `value` the stored value is
   * kept (a 2024 server needs it sent: the client reads it first, one GET). What happens to
   * `${OLD}` references elsewhere is the server's doing: servers from 2026-02 (Infisical PR #5344)
   * rewrite them to the new name; older ones (e.g. 2024-10) leave them as they are, so they no
   * longer resolve. The client rewrites nothing.
   */
  async updateSecret(
    name: string,
    options: SecretScope & secrets.SecretWriteFields & { newName?: string },
  ): Promise<Secret> {
    return this.#write(options, 'updateSecret', (scope) =>
      updateSecretOnAnyServer(this.#send, this.#traits, scope, name, options),
    );
  }

  /** Deletes a secret. */
  async deleteSecret(
    name: string,
    options: SecretScope & { type?: SecretType } = {},
  ): Promise<Secret> {
    return this.#write(options, 'deleteSecret', (scope) =>
      secrets.deleteSecret(this.#send, scope, name, options.type ?? 'shared'),
    );
  }

  /** Creates several shared secrets in one folder, all or nothing. */
  async createSecrets(
    options: SecretScope & { secrets: secrets.BatchSecret[] },
  ): Promise<Secret[]> {
    return this.#write(options, 'createSecrets', (scope) =>
      secrets.createSecrets(this.#send, scope, options.secrets),
    );
  }

  /**
   * Updates several shared secrets; `mode` says what to do with missing keys: fail
   * (`failOnNotFound`, default: `NOT_FOUND` naming them), create them (`upsert`) or skip them
   * (`ignore`). One request on newer servers; a 2024 server ignores `mode`, so the client lists
   * the folder and splits the batch itself (a list, an update and, for `upsert`, a create; not
   * atomic there).
   */
  async updateSecrets(
    options: SecretScope & { secrets: secrets.BatchSecret[]; mode?: secrets.BatchUpdateMode },
  ): Promise<Secret[]> {
    return this.#write(options, 'updateSecrets', (scope) =>
      updateSecretsOnAnyServer(
        this.#send,
        this.#traits,
        scope,
        options.secrets,
        options.mode ?? 'failOnNotFound',
      ),
    );
  }

  /** Deletes several secrets of one folder, all or nothing; missing keys fail with `NOT_FOUND` naming them. */
  async deleteSecrets(
    options: SecretScope & { keys: string[]; type?: SecretType },
  ): Promise<Secret[]> {
    return this.#write(options, 'deleteSecrets', (scope) =>
      deleteSecretsOnAnyServer(this.#send, scope, options.keys, options.type ?? 'shared'),
    );
  }

  /** The sub-folders of a path. */
  async listFolders(options: SecretScope = {}): Promise<folders.Folder[]> {
    checkOptionNames(options, NAMES.listFolders, 'listFolders options');
    return folders.listFolders(this.#send, this.#scope(options));
  }

  /** Creates a folder `name` under the scope's path. */
  async createFolder(
    name: string,
    options: SecretScope & { description?: string } = {},
  ): Promise<folders.Folder> {
    return this.#write(options, 'createFolder', (scope) =>
      folders.createFolder(this.#send, scope, name, options.description),
    );
  }

  /** Deletes a sub-folder (by id or name) of the scope's path, with everything in it. */
  async deleteFolder(idOrName: string, options: SecretScope = {}): Promise<folders.Folder> {
    return this.#write(options, 'deleteFolder', (scope) =>
      folders.deleteFolder(this.#send, scope, idOrName),
    );
  }

  /**
   * Refetches one folder (the scope and list options given), or every cached folder, now.
   * Failures are reported through `onError` and the cached values kept; it never rejects.
   * Change events fire for folders whose secrets changed.
   */
  async refresh(options?: Omit<ListSecretsOptions, 'injectEnv'>): Promise<void> {
    if (options === undefined) return this.#folders.refresh();
    checkOptionNames(options, NAMES.listSecrets, 'refresh options', RENAMED);
    return this.#folders.refresh(folderRef(this.#scope(options), options));
  }

  /**
   * Calls `listener` whenever a refetch finds a cached folder's secrets changed. A listener
   * that throws (or rejects) is reported through `onError`; the others still run. Returns an
   * unsubscribe.
   */
  onChange(listener: (change: SecretsChange) => void): () => void {
    return this.#folders.subscribe(({ ref, diff, next }) =>
      listener({ ...ref.scope, query: ref.query, ...diff, secrets: mergeSnapshot(next) }),
    );
  }

  /**
   * Stops background refresh, drops listeners and aborts requests in flight (they fail with
   * `CLOSED`, as every later request does), then revokes the access token this client obtained
   * by login (never a token you passed in), with one attempt of at most 2 s (or `timeout` if
   * shorter), so it does not outlive the process. Never rejects. Cached values are not served
   * after this.
   */
  async close(): Promise<void> {
    this.#folders.close();
    this.#fleet?.close();
    this.#abort.abort();
    const token = this.#tokens.takeRevocable();
    if (token === undefined) return;
    const { fetch, timeoutMs } = this.#settings;
    const limit = Math.min(REVOKE_TIMEOUT_MS, timeoutMs);
    await revokeToken(fetch, this.#transport.baseUrl, token, limit, this.#logger);
  }

  /** What `util.inspect` shows: where and how, never a token or value. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const { siteUrl, auth, cacheTtl } = this.toJSON();
    return `InfisicalClient { siteUrl: '${siteUrl}', auth: '${auth}', cacheTtl: ${cacheTtl} }`;
  }

  /** `JSON.stringify(client)` shows the same safe summary. */
  toJSON(): { siteUrl: string; auth: string; cacheTtl: number } {
    return {
      siteUrl: this.siteUrl,
      auth: this.#tokens.methodName,
      cacheTtl: this.#settings.cacheTtlMs / 1000,
    };
  }

  /** Holds the event stream of `projectId` from the first read of it on. */
  #watch(projectId: string): void {
    if (this.#streams.has(projectId) || this.#abort.signal.aborted) return;
    const stream = new ProjectEventStream(projectId, {
      baseUrl: this.#transport.baseUrl,
      fetch: this.#settings.fetch,
      token: () => this.#tokens.token(),
      invalidate: (token) => this.#tokens.invalidate(token),
      folders: this.#folders,
      logger: this.#logger,
      report: (error, context) => this.#report(error, context),
      refreshIntervalMs: this.#settings.refreshIntervalMs,
      fleet: this.#fleet,
      signal: this.#abort.signal,
    });
    this.#streams.set(projectId, stream);
    stream.start();
  }

  /** Sends a request with the current token; a rejected token is dropped and the request retried once after a new login. */
  readonly #send: secrets.AuthedRequest = async <T>(
    request: Omit<ApiRequest, 'token'>,
  ): Promise<T> => {
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

  /** The folder a read addresses, built once per scope options and flag combination. */
  #readRef(options: GetSecretOptions): FolderRef {
    const includeImports = options.includeImports ?? true;
    const expandSecretReferences = options.expandSecretReferences ?? true;
    const slot = (includeImports ? 2 : 0) + (expandSecretReferences ? 1 : 0);
    const { projectId, environment, path } = options;
    if (projectId === undefined && environment === undefined && path === undefined) {
      this.#defaultRefs[slot] ??= folderRef(this.#scope({}), {
        includeImports,
        expandSecretReferences,
      });
      return this.#defaultRefs[slot];
    }
    const known = this.#scopedRefs.get(projectId)?.get(environment)?.get(path)?.[slot];
    if (known !== undefined) return known;
    const ref = folderRef(this.#scope(options), { includeImports, expandSecretReferences });
    if (this.#scopedCount >= 1024) {
      this.#scopedRefs.clear();
      this.#scopedCount = 0;
    }
    const byEnvironment = entryOf(this.#scopedRefs, projectId, () => new Map());
    const byPath = entryOf(
      byEnvironment,
      environment,
      () => new Map<unknown, (FolderRef | undefined)[]>(),
    );
    entryOf<unknown, (FolderRef | undefined)[]>(byPath, path, () => [])[slot] = ref;
    this.#scopedCount++;
    return ref;
  }

  async #readSecret(name: string, options: GetSecretOptions): Promise<Secret> {
    const type = options.type ?? 'shared';
    const ref = this.#readRef(options);
    const { version } = options;
    if (version !== undefined) {
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new InfisicalError(
          'CONFIG_INVALID',
          `getSecret option "version" must be a whole number from 1 (got ${typeof version === 'number' ? version : typeof version}). Fix: pass the version number as a number, e.g. { version: 2 }.`,
          { details: { option: 'version' } },
        );
      }
      const read = { scope: ref.scope, name, type, version, ...ref.query };
      return this.#fallback(name, ref.scope, options, () =>
        this.#versions.get(read, async () => {
          const secret = await secrets.fetchSecret(this.#send, ref.scope, name, read);
          if (secret.version !== version) throw versionIgnored(name, version, secret.version);
          return secret;
        }),
      );
    }
    return this.#fallback(name, ref.scope, options, async () => {
      const secret = findInSnapshot(await this.#folders.get(ref), name, type);
      if (!secret) {
        const { projectId, environment, path } = ref.scope;
        throw new InfisicalError(
          'MISSING_SECRETS',
          `Secret "${name}" (${type}) does not exist in project ${projectId}, environment "${environment}", path "${path}". Fix: check the key, environment and path.`,
          { details: { missing: [name] } },
        );
      }
      return secret;
    });
  }

  async #write<T>(
    options: SecretScope,
    method: keyof typeof NAMES,
    write: (scope: ResolvedScope) => Promise<T>,
  ): Promise<T> {
    checkOptionNames(options, [...NAMES[method]], `${method} options`);
    const scope = this.#scope(options);
    const result = await write(scope);
    // Any cached folder of the project may show this change (imports, references): each is
    // refetched on its next read, its current value kept in case that refetch fails.
    this.#folders.invalidateProject(scope.projectId);
    this.#sharedFolders?.written(scope.projectId);
    this.#versions.invalidateProject(scope.projectId);
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
      const value = this.#settings.env[name];
      const absent =
        isInfisicalError(error) && (error.code === 'MISSING_SECRETS' || error.code === 'NOT_FOUND');
      if (
        !booleanOption(options.fallbackToEnv, 'fallbackToEnv', false) ||
        !absent ||
        value === undefined
      )
        throw error;
      this.#logger.debug('Infisical has no such secret; using the environment variable', {
        key: name,
      });
      return Object.freeze({
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
      });
    }
  }

  #scope(options: SecretScope): ResolvedScope {
    const { defaults } = this.#settings;
    const projectId = options.projectId ?? defaults.projectId;
    const environment = options.environment ?? defaults.environment;
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
    const path = options.path === undefined ? defaults.path : normalizeSecretPath(options.path);
    return { projectId, environment, path };
  }

  /** Reports an error that did not fail a call; a throwing `onError` cannot break the client. */
  #report(error: unknown, context: string): void {
    const normalized = InfisicalError.from(error, context);
    this.#logger.debug(context, { code: normalized.code, status: normalized.status });
    const { onError } = this.#settings;
    // A degraded store is worth one line even without onError; transient failures are not.
    if (
      onError === undefined &&
      (normalized.code === 'STORE_FAILED' || normalized.code === 'FLEET_UNAVAILABLE')
    ) {
      console.warn(`[infisical] ${normalized.message}`);
    }
    try {
      onError?.(normalized);
    } catch (hookError) {
      this.#logger.debug('onError threw; ignored', {
        name: hookError instanceof Error ? hookError.name : typeof hookError,
      });
    }
  }
}

export type { FolderChange };
