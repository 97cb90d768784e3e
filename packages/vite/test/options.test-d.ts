import type { SecretsOptions } from '@infisical/core';
import type { Plugin } from 'vite';
import { describe, expectTypeOf, it } from 'vitest';
import infisicalDefault, { type InfisicalViteOptions, infisical } from '../src/index.ts';
import {
  getSecret,
  getSecrets,
  getSecretsHandle,
  onSecretsChange,
  refreshSecrets,
  type SecretsChangeEvent,
} from '../src/server.ts';

describe('plugin types', () => {
  it('is a Vite plugin, as the named and the default export', () => {
    expectTypeOf(infisical).returns.toEqualTypeOf<Plugin>();
    expectTypeOf(infisicalDefault).toEqualTypeOf(infisical);
  });

  it("takes the core's shared options, minus those the plugin decides", () => {
    expectTypeOf<InfisicalViteOptions['projectId']>().toEqualTypeOf<SecretsOptions['projectId']>();
    infisical({ environment: 'prod', path: '/web', publicKeys: ['APP_NAME'], fallbackToEnv: true });
    infisical({ refreshInterval: 5, leakCheck: false, typesFile: 'src/env.d.ts' });
    infisical({ required: ['DB_PASSWORD'], cacheTtl: 60, staleWhileRevalidate: false });
    // @ts-expect-error public prefixes come from Vite's envPrefix
    infisical({ publicPrefixes: ['PUBLIC_'] });
    // @ts-expect-error the plugin always writes into process.env
    infisical({ injectEnv: false });
    // @ts-expect-error typesFile is a path or false
    infisical({ typesFile: true });
  });

  it("types the server-only reads: the handle's verbs", () => {
    expectTypeOf(getSecret('DB_PASSWORD')).toEqualTypeOf<string | undefined>();
    expectTypeOf(getSecrets()).toEqualTypeOf<Readonly<Record<string, string>>>();
    expectTypeOf(refreshSecrets()).resolves.toBeVoid();
    expectTypeOf(onSecretsChange).parameter(0).parameter(0).toEqualTypeOf<SecretsChangeEvent>();
    expectTypeOf(getSecretsHandle()?.source).toEqualTypeOf<
      'infisical' | 'env-fallback' | 'skipped' | 'snapshot' | undefined
    >();
    getSecret<'DB_PASSWORD' | 'API_TOKEN'>('API_TOKEN');
    // @ts-expect-error not one of the keys given
    getSecret<'DB_PASSWORD' | 'API_TOKEN'>('API_TOKNE');
  });
});
