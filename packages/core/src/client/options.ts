/**
 * The client's options, documented once: meaning, default and the environment variable each
 * falls back to. Adapters reuse these types, so their documentation follows.
 *
 * @module
 */
import type { Logger } from '../api/logger.js';
import type { RetryOptions } from '../api/retry.js';
import type { AuthOptions } from '../auth/resolve-auth.js';
import type { CacheStore } from '../cache/store.js';
import type { InfisicalError } from '../errors/infisical-error.js';
import type { FolderSnapshot } from '../secrets/types.js';

/** Options of {@link InfisicalClient}. Every field is optional. */
export interface InfisicalClientOptions {
  /**
   * Base URL of the Infisical instance (Cloud region or self-hosted).
   * @default 'https://app.infisical.com' (env `INFISICAL_SITE_URL`)
   */
  siteUrl?: string;
  /**
   * How to log in. Without it, the method is picked from environment variables:
   * `INFISICAL_UNIVERSAL_AUTH_CLIENT_ID` + `INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET`, `INFISICAL_TOKEN`,
   * and the cloud methods' identity-id variables (see the README).
   */
  auth?: AuthOptions;
  /** Default project id of every call. Env: `INFISICAL_PROJECT_ID`. */
  projectId?: string;
  /** Default environment slug of every call. Env: `INFISICAL_ENVIRONMENT`. */
  environment?: string;
  /**
   * Seconds a fetched folder is served from the cache, counted from the last successful fetch.
   * When a refetch fails, the cached value keeps being served (and the error reported through
   * `onError`). `0` disables caching (concurrent reads still share one request).
   * @default 300 (env `INFISICAL_CACHE_TTL`)
   */
  cacheTtl?: number;
  /**
   * Refetch every cached folder on this interval (seconds), emitting change events; the timer
   * does not keep the process alive. `true`: every `cacheTtl` seconds. `0` or unset: refetch only
   * when a read finds the cache stale.
   * @default 0
   */
  refreshInterval?: number | true;
  /** Where cached folders are kept. @default an in-memory store */
  cacheStore?: CacheStore<FolderSnapshot>;
  /**
   * `true` logs what the client does (requests, logins, renewals, refreshes, changes) to `console.debug`,
   * or pass a logger. Never logs a secret value or token.
   * @default false (env `INFISICAL_DEBUG=true`)
   */
  debug?: boolean | Logger;
  /**
   * Time limit of each HTTP attempt, in ms.
   * @default 10000
   */
  timeout?: number;
  /**
   * Retry policy: reads are retried on network errors, timeouts, 429 and 5xx; writes only on 429.
   * @default { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 30000 }
   */
  retry?: Partial<RetryOptions>;
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Receives errors that did not fail a call: a failed refresh served from cache, a failed background refresh. */
  onError?: (error: InfisicalError) => void;
  /**
   * Where defaults are read from.
   * @default process.env where it exists, else nothing
   */
  env?: Readonly<Record<string, string | undefined>>;
}
