/**
 * `@infisical/nestjs`: `InfisicalModule.forRoot` / `forRootAsync`, `InfisicalService`, and the
 * `infisicalConfig` loader for `@nestjs/config`: Nest wiring over one `@infisical/core` handle.
 *
 * @module @infisical/nestjs
 */

export type {
  InfisicalSecretKeys,
  SecretsChangeEvent,
  SecretsSource,
  SecretValues,
} from '@infisical/core';
export { InfisicalError, type InfisicalErrorCode, isInfisicalError } from '@infisical/core';
export {
  InfisicalModule,
  type InfisicalModuleAsyncOptions,
  type InfisicalOptionsFactory,
} from './infisical.module.js';
export { InfisicalService } from './infisical.service.js';
export { infisicalConfig } from './infisical-config.js';
export type { InfisicalWebhookOptions } from './infisical-webhook.controller.js';
export type { InfisicalConfigOptions, InfisicalModuleOptions } from './nest-options.js';
