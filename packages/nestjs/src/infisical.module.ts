/**
 * `InfisicalModule`: `forRoot` / `forRootAsync`, built with Nest's `ConfigurableModuleBuilder`.
 * Its one provider awaits core's loader, so secrets are loaded before the application finishes
 * bootstrapping, and a failed first load rejects bootstrap with core's typed error.
 *
 * @module
 */
import { loadSecrets } from '@infisical/core';
import {
  ConfigurableModuleBuilder,
  type ConfigurableModuleOptionsFactory,
  Module,
} from '@nestjs/common';
import { InfisicalService } from './infisical.service.js';
import { type InfisicalModuleOptions, moduleLoadOptions } from './nest-options.js';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<InfisicalModuleOptions>({ moduleName: 'Infisical' })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createInfisicalOptions')
    .setExtras({ isGlobal: false }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
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
 * Loads secrets from Infisical and provides {@link InfisicalService}:
 * `InfisicalModule.forRoot({ ...options, isGlobal })` or
 * `InfisicalModule.forRootAsync({ imports, inject, useFactory, isGlobal })`.
 */
@Module({
  providers: [
    {
      provide: InfisicalService,
      inject: [MODULE_OPTIONS_TOKEN],
      useFactory: async (options: InfisicalModuleOptions) =>
        new InfisicalService(await loadSecrets(moduleLoadOptions(options))),
    },
  ],
  exports: [InfisicalService],
})
export class InfisicalModule extends ConfigurableModuleClass {}
