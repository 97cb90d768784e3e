/**
 * `redisFleet(options)`: the fleet option of `@infisical/core` over one Redis or Valkey — the
 * shared cache, shared tokens, locks and bus on one command connection and one subscriber
 * connection.
 *
 * @module
 */
import {
  type FleetOptions,
  InfisicalError,
  type SharedBus,
  type SharedCache,
  type SharedLocks,
  type SharedTokens,
} from '@infisical/core';
import type { RedisClientOptions } from '@redis/client';
import { type NodeRedisClient, RedisConnection } from './connection.js';
import { RedisSharedBus } from './redis-bus.js';
import { RedisSharedLocks } from './redis-locks.js';
import { RedisSharedCache, RedisSharedTokens } from './redis-stores.js';

/** Options of {@link redisFleet}: a URL or a client, and where the fleet's keys live. */
export interface RedisFleetOptions {
  /**
   * `redis://`, `rediss://` (TLS) or `unix://` URL of the Redis or Valkey server, e.g.
   * `redis://:password@redis.internal:6379/0`. The connections made from it fail fast while
   * the server is unreachable and reconnect within 2 s of its return.
   */
  url?: string;
  /**
   * A node-redis client you already have (`createClient()` of `redis` or `@redis/client`),
   * connected or not; it is connected if needed and left open by `close()`. A dedicated
   * subscriber connection is made from it with `duplicate()`. Prefer
   * `disableOfflineQueue: true` on it, so commands fail fast while Redis is down.
   */
  client?: NodeRedisClient;
  /** More node-redis options for the client made from `url` (TLS certificates, ACL user, ...). */
  redis?: Omit<RedisClientOptions, 'url'>;
  /**
   * Prefix of every Redis key and channel this package uses.
   * @default 'infisical:'
   */
  prefix?: string;
}

const OPTION_NAMES = ['url', 'client', 'redis', 'prefix'];

/**
 * What {@link redisFleet} returns: pass it as core's `fleet` option (in any adapter); `close()`
 * ends its connections when the app shuts down.
 */
export class RedisFleet implements FleetOptions {
  /** The shared, encrypted folder cache. */
  readonly cache: SharedCache;
  /** The shared access token of each identity. */
  readonly tokens: SharedTokens;
  /** Locks and leases (`SET NX PX`, compare-and-delete release, renewal). */
  readonly locks: SharedLocks;
  /** Pub/sub on a dedicated subscriber connection. */
  readonly bus: SharedBus;
  readonly #connection: RedisConnection;

  /** @internal use {@link redisFleet}. */
  constructor(connection: RedisConnection, prefix: string) {
    this.#connection = connection;
    this.cache = new RedisSharedCache(connection, prefix);
    this.tokens = new RedisSharedTokens(connection, prefix);
    this.locks = new RedisSharedLocks(connection, prefix);
    this.bus = new RedisSharedBus(connection, prefix);
  }

  /** Closes the subscriber connection, and the command connection when it was made from `url`. */
  close(): Promise<void> {
    return this.#connection.close();
  }

  /** What `util.inspect` shows: never the URL (it may hold a password). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'RedisFleet { cache, tokens, locks, bus }';
  }
}

/**
 * Fleet sharing through Redis or Valkey: `new InfisicalClient({ fleet: redisFleet({ url }) })`,
 * or the same `fleet` option in any adapter. Connects lazily, on the first use.
 *
 * @throws InfisicalError `CONFIG_INVALID` for unknown options, neither or both of `url` and
 * `client`, a malformed URL or client, or an empty prefix.
 */
export function redisFleet(options: RedisFleetOptions): RedisFleet {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('redisFleet options must be an object', 'pass { url } or { client }');
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name)) {
      throw invalid(
        `unknown option "${name}"`,
        `use only ${OPTION_NAMES.join(', ')}${name === 'keyPrefix' ? ' (the key prefix is "prefix")' : ''}`,
      );
    }
  }
  const { url, client, redis, prefix = 'infisical:' } = options;
  if ((url === undefined) === (client === undefined)) {
    throw invalid('pass exactly one of url and client', 'give the server URL, or your client');
  }
  if (typeof prefix !== 'string' || prefix === '' || /\s/.test(prefix)) {
    throw invalid('prefix must be a non-empty string without spaces', "pass e.g. 'infisical:'");
  }
  if (redis !== undefined && (typeof redis !== 'object' || redis === null)) {
    throw invalid(
      'redis must be an object of node-redis options',
      'pass an object, or leave it out',
    );
  }
  if (client !== undefined) {
    const methods = ['connect', 'sendCommand', 'duplicate', 'on'] as const;
    if (
      typeof client !== 'object' ||
      client === null ||
      methods.some((method) => typeof client[method] !== 'function')
    ) {
      throw invalid(
        'client must be a node-redis client (connect, sendCommand, duplicate, on)',
        "pass createClient() of 'redis' or '@redis/client', or give url instead",
      );
    }
    return new RedisFleet(new RedisConnection(client), prefix);
  }
  return new RedisFleet(new RedisConnection(undefined, { ...redis, url: checkUrl(url) }), prefix);
}

function checkUrl(url: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !['redis:', 'rediss:', 'unix:'].includes(parsed.protocol)) {
    // The URL may hold a password: never quoted.
    throw invalid(
      'url must be a redis://, rediss:// or unix:// URL',
      'pass e.g. redis://127.0.0.1:6379 (rediss:// for TLS)',
    );
  }
  return url as string;
}

function invalid(problem: string, fix: string): InfisicalError {
  return new InfisicalError('CONFIG_INVALID', `redisFleet: ${problem}. Fix: ${fix}.`);
}
