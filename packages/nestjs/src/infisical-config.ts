/**
 * `infisicalConfig`: a `@nestjs/config` loader, so `ConfigService.get('X')` returns Infisical
 * values. It needs no import of `@nestjs/config`: a loader is a function.
 *
 * @module
 */
import { loadSecrets, type StandardSchemaV1 } from '@infisical/core';
import { type InfisicalConfigOptions, warnThroughNest } from './nest-options.js';

/**
 * A loader for `ConfigModule.forRoot({ load: [infisicalConfig(options)] })`: it loads the
 * secrets once, at boot (a failure rejects bootstrap with core's typed error), and gives
 * `ConfigService` the values, or the `schema`'s output when a schema is set.
 */
export function infisicalConfig<Schema extends StandardSchemaV1>(
  options: InfisicalConfigOptions<Schema> & { schema: Schema },
): () => Promise<StandardSchemaV1.InferOutput<Schema>>;
export function infisicalConfig(
  options?: InfisicalConfigOptions,
): () => Promise<Record<string, string>>;
export function infisicalConfig(
  options: InfisicalConfigOptions = {},
): () => Promise<Record<string, unknown>> {
  return async () => {
    const loaded = await loadSecrets({
      ...options,
      onError: options.onError ?? warnThroughNest('infisicalConfig'),
    });
    // ConfigService keeps what it was given: nothing to follow afterwards.
    loaded.close();
    return (options.schema ? loaded.parsed : loaded.values) as Record<string, unknown>;
  };
}
