/**
 * `@infisical/nestjs`: `InfisicalModule.forRoot` / `forRootAsync`, `InfisicalService`, and the
 * `infisicalConfig` loader for `@nestjs/config`. A thin shell over `@infisical/core`'s loader.
 *
 * @module @infisical/nestjs
 */
export {
  InfisicalError,
  type InfisicalErrorCode,
  isInfisicalError,
  type SecretsChangeEvent,
  type SecretsSource,
} from '@infisical/core';
export {
  InfisicalModule,
  type InfisicalModuleAsyncOptions,
  type InfisicalOptionsFactory,
} from './infisical.module.js';
export { InfisicalService } from './infisical.service.js';
export { infisicalConfig } from './infisical-config.js';
export type { InfisicalConfigOptions, InfisicalModuleOptions } from './nest-options.js';
