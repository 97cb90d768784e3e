/**
 * `infisicalConfig`: a `@nestjs/config` loader, so `ConfigService.get('X')` returns Infisical
 * values. It needs no import of `@nestjs/config`: a loader is a function.
 *
 * @module
 */
import { loadSecrets, type StandardSchemaV1, validateWithSchema } from '@infisical/core';
import { type InfisicalConfigOptions, withNestLogger } from './nest-options.js';

/**
 * A loader for `ConfigModule.forRoot({ load: [infisicalConfig(options)] })`: it loads the
 * secrets once, at boot (a failure rejects bootstrap with core's typed error), and gives
 * `ConfigService` the values, or the `schema`'s output when a schema is set (validated against
 * the environment overlaid with Infisical's values, as `ConfigService` reads them).
 */
export function infisicalConfig<Schema extends StandardSchemaV1>(
  options: InfisicalConfigOptions<Schema> & { schema: Schema },
): () => Promise<StandardSchemaV1.InferOutput<Schema>>;
export function infisicalConfig(
  options?: InfisicalConfigOptions,
): () => Promise<Readonly<Record<string, string>>>;
export function infisicalConfig(options: InfisicalConfigOptions = {}): () => Promise<unknown> {
  const { schema, ...rest } = options;
  return async () => {
    const secrets = await loadSecrets<string>(withNestLogger(rest, 'infisicalConfig'));
    // ConfigService keeps what it was given: nothing to follow afterwards.
    await secrets.close();
    if (schema === undefined) return secrets.values;
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined) environment[key] = value;
    }
    return validateWithSchema({ ...environment, ...secrets.values }, schema);
  };
}
