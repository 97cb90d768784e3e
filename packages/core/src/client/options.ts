/**
 * The client's options, documented once: meaning, default, bounds and the environment variable
 * each falls back to. Adapters reuse these types, so their documentation follows. Also the one
 * function that checks them and fills in the defaults.
 *
 * @module
 */
import { type Logger, silentLogger } from '../api/logger.js';
import { type RetryOptions, resolveRetryOptions } from '../api/retry.js';
import type { AuthOptions } from '../auth/resolve-auth.js';
import type { CacheStore } from '../cache/store.js';
import { checkOptionNames, optionNames, optionsObject } from '../config/option-names.js';
import { booleanOption, durationMs } from '../config/option-values.js';
import { parseSiteUrl } from '../config/site-url.js';
import { InfisicalError } from '../errors/infisical-error.js';
import { type FleetSettings, fleetSettings } from '../fleet/fleet.js';
import type { FleetOptions } from '../fleet/types.js';
import { type EnvSource, envValue, processEnv } from '../runtime/env.js';
import { normalizeSecretPath } from '../secrets/path.js';
import type { FolderSnapshot } from '../secrets/types.js';

/** Options of {@link InfisicalClient}. Every field is optional; unknown names are refused. */
export interface InfisicalClientOptions {
  /**
   * Base URL of the Infisical instance (Cloud region or self-hosted): `http` or `https`, no
   * credentials, query or fragment, and not ending in `/api` (the client adds the API paths).
   * @default 'https://app.infisical.com' (env `INFISICAL_SITE_URL`)
   */
  siteUrl?: string;
  /**
   * How to log in. Without it, the method is picked from environment variables:
   * `INFISICAL_UNIVERSAL_AUTH_CLIENT_ID` + `INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET`, `INFISICAL_TOKEN`,
   * and (once `@infisical/core/node` is imported) the cloud methods' identity-id variables.
   */
  auth?: AuthOptions;
  /** Default project id of every call. Env: `INFISICAL_PROJECT_ID`. */
  projectId?: string;
  /** Default environment slug of every call. Env: `INFISICAL_ENVIRONMENT`. */
  environment?: string;
  /**
   * Seconds a fetched folder is fresh, counted from the last successful fetch; 0 to 24 days.
   * A read of a stale folder is answered from the cache at once while the folder is refetched
   * in the background (`staleWhileRevalidate`); when a refetch fails, the cached value keeps
   * being served and the error goes to `onError`. `0` disables caching: every read fetches and
   * waits (concurrent reads still share one request, the last value still serves on failure).
   * @default 300 (env `INFISICAL_CACHE_TTL`)
   */
  cacheTtl?: number;
  /**
   * Refetch every cached folder on this interval (seconds, up to 24 days), emitting change
   * events. `true` is every `cacheTtl` seconds; `0` or `false` turns it off (folders are then
   * refetched only when a read finds them stale). The timer never keeps the process alive, nor
   * a client nobody references or listens to.
   * @default true (every `cacheTtl` seconds; off when `cacheTtl` is 0)
   */
  refreshInterval?: number | boolean;
  /**
   * With a stale folder cached, a read returns it at once and the folder is refetched in the
   * background. `false`: a read of a stale folder waits for the refetch (the cached value is
   * still served if it fails).
   * @default true
   */
  staleWhileRevalidate?: boolean;
  /**
   * Where cached folders are kept. A store that throws is replaced by memory for the rest of
   * the client's life, reported once through `onError` (`STORE_FAILED`).
   * @default an in-memory store
   */
  cacheStore?: CacheStore<FolderSnapshot>;
  /**
   * Share the cache, the login, single flight and change events with every instance of the
   * app, through a store such as `redisFleet({ url })` from `@infisical/redis`: one fetch per
   * folder per `cacheTtl` for the whole fleet, one login per identity, and every instance's
   * `onChange` fires once when one instance finds a change. Everything stored is sealed with
   * AES-256-GCM under a key derived from the credentials (`fleet.key` for methods without a
   * shared secret). A store that fails or is slow (`fleet.timeout`) is reported once
   * (`FLEET_UNAVAILABLE`); the instance then works on its own and rejoins when it answers.
   * @default no fleet: every instance works on its own
   */
  fleet?: FleetOptions;
  /**
   * `true` logs what the client does (requests, logins, renewals, refreshes, changes) to `console.debug`,
   * or pass a logger. Never logs a secret value or token.
   * @default false (env `INFISICAL_DEBUG`: `true` or `false`)
   */
  debug?: boolean | Logger;
  /**
   * Time limit of each HTTP attempt, in ms (1 ms to 24 days).
   * @default 10000
   */
  timeout?: number;
  /**
   * Retry policy and cooldown: reads are retried on network errors, timeouts, 429 and 5xx;
   * writes only on 429. After a request failed for good, the client cools down.
   * @default { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 30000, maxCooldownMs: 30000 }
   */
  retry?: Partial<RetryOptions>;
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * Receives errors that did not fail a call: a failed refetch served from the cache, a failed
   * background refresh, a throwing change listener, a failing cache store. If it throws, that
   * is swallowed (and logged to `debug`).
   */
  onError?: (error: InfisicalError) => void;
  /**
   * Where the defaults above are read from.
   * @default process.env where it exists, else nothing
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Every name of {@link InfisicalClientOptions}, checked against the type at compile time. */
export const CLIENT_OPTION_NAMES: readonly string[] =
  /* @__PURE__ */ optionNames<InfisicalClientOptions>()(
    'siteUrl',
    'auth',
    'projectId',
    'environment',
    'cacheTtl',
    'refreshInterval',
    'staleWhileRevalidate',
    'cacheStore',
    'fleet',
    'debug',
    'timeout',
    'retry',
    'fetch',
    'onError',
    'env',
  );

/** The client's settings after checking, with every default filled in. */
export interface ClientSettings {
  siteUrl: string;
  env: EnvSource;
  logger: Logger;
  cacheTtlMs: number;
  refreshIntervalMs: number;
  staleWhileRevalidate: boolean;
  timeoutMs: number;
  retry: RetryOptions;
  fetch: typeof fetch;
  onError: ((error: InfisicalError) => void) | undefined;
  cacheStore: CacheStore<FolderSnapshot> | undefined;
  fleet: FleetSettings | undefined;
  defaults: { projectId: string | undefined; environment: string | undefined; path: string };
}

const DEFAULT_SITE_URL = 'https://app.infisical.com';
const DEFAULT_CACHE_TTL_SECONDS = 300;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Checks client options and fills in the defaults (from `env` first, then the documented
 * values). Credentials are not looked at here.
 *
 * @param where - how the options are named in messages.
 * @param known - the valid option names (the client's, or a superset for loader options).
 * @throws InfisicalError `CONFIG_INVALID` naming the option and the fix.
 */
export function resolveClientSettings(
  options: InfisicalClientOptions,
  where = 'InfisicalClient options',
  known: readonly string[] = CLIENT_OPTION_NAMES,
): ClientSettings {
  const given = optionsObject(options, where) ?? {};
  checkOptionNames(given, known, where);
  const env = optionsObject(given.env, 'env') ?? processEnv();
  const cacheTtlMs = durationMs(
    given.cacheTtl ?? envValue(env, 'INFISICAL_CACHE_TTL') ?? DEFAULT_CACHE_TTL_SECONDS,
    {
      name: given.cacheTtl === undefined ? 'INFISICAL_CACHE_TTL' : 'cacheTtl',
      unit: 's',
    },
  );
  const interval: unknown = given.refreshInterval ?? true;
  const onOff =
    typeof interval === 'boolean' || interval === 'true' || interval === 'false'
      ? booleanOption(interval, 'refreshInterval', true)
      : undefined;
  const refreshIntervalMs =
    onOff === undefined
      ? durationMs(interval as number, { name: 'refreshInterval', unit: 's' })
      : onOff
        ? cacheTtlMs
        : 0;
  return {
    siteUrl: parseSiteUrl(
      stringOption(given.siteUrl, 'siteUrl') ??
        envValue(env, 'INFISICAL_SITE_URL') ??
        DEFAULT_SITE_URL,
    ),
    env,
    logger: resolveLogger(given.debug, env),
    cacheTtlMs,
    refreshIntervalMs,
    staleWhileRevalidate: booleanOption(given.staleWhileRevalidate, 'staleWhileRevalidate', true),
    timeoutMs: durationMs(given.timeout ?? DEFAULT_TIMEOUT_MS, {
      name: 'timeout',
      unit: 'ms',
      allowZero: false,
    }),
    retry: resolveRetryOptions(given.retry),
    fetch:
      functionOption(given.fetch, 'fetch') ??
      ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
    onError: functionOption(given.onError, 'onError'),
    cacheStore: storeOption(given.cacheStore),
    fleet: fleetSettings(given.fleet),
    defaults: {
      projectId:
        stringOption(given.projectId, 'projectId') ?? envValue(env, 'INFISICAL_PROJECT_ID'),
      environment:
        stringOption(given.environment, 'environment') ?? envValue(env, 'INFISICAL_ENVIRONMENT'),
      path: normalizeSecretPath(envValue(env, 'INFISICAL_SECRET_PATH') ?? '/'),
    },
  };
}

/** A string option: undefined, or a non-empty string (trimmed). */
export function stringOption(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InfisicalError(
      'CONFIG_INVALID',
      `${name} must be a non-empty string. Fix: pass a string, or leave ${name} out.`,
      { details: { option: name } },
    );
  }
  return value.trim();
}

function functionOption<F extends (...args: never[]) => unknown>(
  value: F | undefined,
  name: string,
): F | undefined {
  if (value === undefined || typeof value === 'function') return value;
  throw new InfisicalError(
    'CONFIG_INVALID',
    `${name} must be a function. Fix: pass a function, or leave ${name} out.`,
    { details: { option: name } },
  );
}

function storeOption(
  store: CacheStore<FolderSnapshot> | undefined,
): CacheStore<FolderSnapshot> | undefined {
  if (store === undefined) return undefined;
  const methods = ['get', 'set', 'delete', 'clear'] as const;
  if (
    typeof store !== 'object' ||
    store === null ||
    methods.some((m) => typeof store[m] !== 'function')
  ) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'cacheStore must implement get, set, delete and clear. Fix: pass a CacheStore, or leave it out for memory.',
      { details: { option: 'cacheStore' } },
    );
  }
  return store;
}

function resolveLogger(debug: boolean | Logger | undefined, env: EnvSource): Logger {
  if (typeof debug === 'object' && debug !== null) {
    if (typeof debug.debug !== 'function') {
      throw new InfisicalError(
        'CONFIG_INVALID',
        'debug must be true, false or a logger with a debug(message, fields) method. Fix: pass one of those.',
        { details: { option: 'debug' } },
      );
    }
    return debug;
  }
  const on =
    debug === undefined
      ? booleanOption(envValue(env, 'INFISICAL_DEBUG'), 'INFISICAL_DEBUG', false)
      : booleanOption(debug, 'debug', false);
  if (!on) return silentLogger;
  return { debug: (message, fields) => console.debug(`[infisical] ${message}`, fields ?? '') };
}
