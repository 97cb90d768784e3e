/**
 * `@infisical/redis`: every instance of an app shares one Infisical cache, one login, single
 * flight and change events through Redis or Valkey. Pass `redisFleet({ url })` as the `fleet`
 * option of `@infisical/core` or of any adapter.
 *
 * @module @infisical/redis
 */
export type { NodeRedisClient } from './connection.js';
export { RedisFleet, type RedisFleetOptions, redisFleet } from './redis-fleet.js';
