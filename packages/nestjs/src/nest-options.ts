/**
 * The options of `InfisicalModule` and `infisicalConfig`: core's load options, narrowed where
 * Nest decides, and how they become the options of core's loader.
 *
 * @module
 */
import type { InfisicalError, SecretsOptions, StandardSchemaV1 } from '@infisical/core';
import { Logger } from '@nestjs/common';

/**
 * Options of `InfisicalModule.forRoot` (and what `forRootAsync`'s factory returns): every field
 * is core's `SecretsOptions` field and documented there. Exposure options
 * (`publicPrefixes`, `publicKeys`) are left out: a Nest server has no client bundle.
 */
export type InfisicalModuleOptions = Omit<
  SecretsOptions,
  'publicPrefixes' | 'publicKeys' | 'refreshInterval'
> & {
  /**
   * Refetch the secrets on this interval (seconds) in the background, so `InfisicalService`
   * follows rotation without a request paying for it; stopped on application shutdown. `0`
   * turns it off (then only `refresh()` refetches).
   * @default the cache TTL: `cacheTtl`, env `INFISICAL_CACHE_TTL`, else 300
   */
  refreshInterval?: number;
};

/**
 * Options of `infisicalConfig`: core's `SecretsOptions`, minus exposure and background
 * refresh (`ConfigService` holds the values loaded at boot).
 */
export type InfisicalConfigOptions<Schema extends StandardSchemaV1 = StandardSchemaV1> = Omit<
  SecretsOptions,
  'publicPrefixes' | 'publicKeys' | 'refreshInterval' | 'schema'
> & {
  /**
   * A Standard Schema (zod, valibot, arktype) the values must satisfy, or bootstrap fails with
   * `SCHEMA_INVALID`; `ConfigService` then holds the schema's output (coerced numbers included).
   */
  schema?: Schema;
};

/**
 * Core's load options for `InfisicalModule`: `refreshInterval` defaults to the cache TTL
 * (core's `refreshInterval: true`), and errors that did not fail a call (a failed background
 * refresh) go to Nest's logger unless `onError` is given.
 */
export function moduleLoadOptions(options: InfisicalModuleOptions): SecretsOptions {
  return {
    ...options,
    refreshInterval: options.refreshInterval ?? true,
    onError: options.onError ?? warnThroughNest('InfisicalModule'),
  };
}

/** An `onError` that logs a warning through Nest's logger: code and message, never a value. */
export function warnThroughNest(context: string): (error: InfisicalError) => void {
  const logger = new Logger(context);
  return (error) => logger.warn(`${error.code}: ${error.message}`);
}
