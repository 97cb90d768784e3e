/**
 * `InfisicalModule`: `forRoot` / `forRootAsync`, built with Nest's `ConfigurableModuleBuilder`.
 * Its one provider awaits core's `loadSecrets`, so secrets are loaded before the application
 * finishes bootstrapping, and a failed first load rejects bootstrap with core's typed error.
 *
 * @module
 */
import { createRedactor, InfisicalError, loadSecrets } from '@infisical/core';
import { writeSecretKeyTypes } from '@infisical/core/node';
import {
  ConfigurableModuleBuilder,
  type ConfigurableModuleOptionsFactory,
  Module,
} from '@nestjs/common';
import { InfisicalService } from './infisical.service.js';
import { type InfisicalWebhookOptions, webhookController } from './infisical-webhook.controller.js';
import { installNestLoggerRedaction } from './logger-redaction.js';
import { type InfisicalModuleOptions, withNestLogger } from './nest-options.js';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<InfisicalModuleOptions>({ moduleName: 'Infisical' })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createInfisicalOptions')
    .setExtras(
      { isGlobal: false, webhook: undefined as InfisicalWebhookOptions | undefined },
      (definition, extras) => ({
        ...definition,
        global: extras.isGlobal,
        // `webhook: { secret, path }` mounts the receiver of Infisical's signed webhooks.
        controllers: extras.webhook === undefined ? [] : [webhookController(extras.webhook)],
      }),
    )
    .build();

/**
 * Options of `InfisicalModule.forRootAsync`: `imports`, `inject` with `useFactory`, or
 * `useClass` / `useExisting` (an {@link InfisicalOptionsFactory}), and `isGlobal`.
 */
export type InfisicalModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;

/** A provider that gives `InfisicalModule` its options (`useClass` / `useExisting`). */
export type InfisicalOptionsFactory = ConfigurableModuleOptionsFactory<
  InfisicalModuleOptions,
  'createInfisicalOptions'
>;

/**
 * Loads the handle; with `typesFile`, writes the key declaration (a failure is only reported);
 * with `redactLogs`, redacts Nest's logger too (core redacts `console`) until shutdown.
 */
async function createService(options: InfisicalModuleOptions): Promise<InfisicalService> {
  const { typesFile, ...rest } = withNestLogger(options, 'InfisicalModule');
  const secrets = await loadSecrets(rest);
  if (typesFile !== undefined && secrets.source === 'infisical') {
    await writeSecretKeyTypes(typesFile, Object.keys(secrets.values), {
      module: '@infisical/nestjs',
    }).catch((error: unknown) =>
      rest.onError?.(InfisicalError.from(error, 'Writing typesFile failed')),
    );
  }
  if (!rest.redactLogs) return new InfisicalService(secrets);
  const uninstall = installNestLoggerRedaction(createRedactor(() => secrets.leakCheckValues()));
  return new InfisicalService(secrets, uninstall);
}

/**
 * Loads secrets from Infisical and provides {@link InfisicalService}:
 * `InfisicalModule.forRoot({ ...options, isGlobal, webhook })` or
 * `InfisicalModule.forRootAsync({ imports, inject, useFactory, isGlobal, webhook })`; `webhook:
 * { secret, path }` also mounts a receiver of Infisical's signed webhooks.
 */
@Module({
  providers: [
    { provide: InfisicalService, inject: [MODULE_OPTIONS_TOKEN], useFactory: createService },
  ],
  exports: [InfisicalService],
})
export class InfisicalModule extends ConfigurableModuleClass {}
