/**
 * The options of `InfisicalModule` and `infisicalConfig`: core's handle options, narrowed where
 * Nest decides, and the one thing Nest adds to them (its logger for errors that fail no call).
 *
 * @module
 */
import type { InfisicalError, SecretKey, SecretsOptions, StandardSchemaV1 } from '@infisical/core';
import { Logger } from '@nestjs/common';

/**
 * Options of `InfisicalModule.forRoot` (and what `forRootAsync`'s factory returns): core's
 * options, documented there, without the exposure ones (a Nest server has no client bundle).
 */
export interface InfisicalModuleOptions<K extends string = SecretKey>
  extends Omit<SecretsOptions<K>, 'publicPrefixes' | 'publicKeys'> {
  /**
   * After the first load from Infisical, write a declaration of the loaded key names (no
   * values) to this file, relative to the working directory, so `InfisicalService.get('KEY')`
   * is typed and an unknown key does not compile. Rewritten only when the keys change.
   */
  typesFile?: string;
}

/**
 * Options of `infisicalConfig`: core's options, minus exposure and background refresh
 * (`ConfigService` holds the values loaded at boot).
 */
export interface InfisicalConfigOptions<Schema extends StandardSchemaV1 = StandardSchemaV1>
  extends Omit<SecretsOptions, 'publicPrefixes' | 'publicKeys' | 'refreshInterval' | 'schema'> {
  /**
   * A Standard Schema (zod, valibot, arktype) that the configuration must satisfy, or bootstrap
   * fails with `SCHEMA_INVALID`. Like `ConfigModule`'s own validation, it sees the environment
   * too, under Infisical's values (so `PORT` from the environment validates); `ConfigService`
   * then holds the schema's output (coerced numbers included).
   */
  schema?: Schema;
}

/** `options` with Nest's logger as `onError` unless one is given. */
export function withNestLogger<O extends { onError?: (error: InfisicalError) => void }>(
  options: O,
  context: string,
): O {
  if (options.onError !== undefined) return options;
  const logger = new Logger(context);
  return { ...options, onError: (error) => logger.warn(`${error.code}: ${error.message}`) };
}
