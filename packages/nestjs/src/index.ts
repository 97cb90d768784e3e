/**
 * `@infisical/nestjs`: `InfisicalModule.forRoot` / `forRootAsync`, `InfisicalService`, and the
 * `infisicalConfig` loader for `@nestjs/config`: Nest wiring over one `@infisical/core` handle.
 *
 * @module @infisical/nestjs
 */
export {
  InfisicalError,
  type InfisicalErrorCode,
  type InfisicalSecretKeys,
  isInfisicalError,
  type SecretsChangeEvent,
  type SecretsSource,
  type SecretValues,
} from '@infisical/core';
export {
  InfisicalModule,
  type InfisicalModuleAsyncOptions,
  type InfisicalOptionsFactory,
} from './infisical.module.js';
export { InfisicalService } from './infisical.service.js';
export { infisicalConfig } from './infisical-config.js';
export type { InfisicalConfigOptions, InfisicalModuleOptions } from './nest-options.js';
