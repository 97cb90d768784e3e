import type { NextConfig } from 'next';
import { expectTypeOf } from 'vitest';
import { withInfisical } from '../src/index.ts';
import {
  closeSecrets,
  getSecret,
  getSecrets,
  onSecretsChange,
  refreshSecrets,
  register,
  type SecretsChangeEvent,
} from '../src/runtime.ts';

// The config keeps its form.
const object: NextConfig = { reactStrictMode: true };
expectTypeOf(withInfisical(object)).toEqualTypeOf<NextConfig>();
expectTypeOf(withInfisical()).toEqualTypeOf<NextConfig>();
const sync = (phase: string): NextConfig => ({ env: { PHASE: phase } });
expectTypeOf(withInfisical(sync)).toEqualTypeOf(sync);
const async = async (phase: string): Promise<NextConfig> => ({ env: { PHASE: phase } });
expectTypeOf(withInfisical(async)).toEqualTypeOf(async);

// Plain-data options are accepted, with core's documentation.
withInfisical(object, {
  siteUrl: 'https://eu.infisical.com',
  auth: { universalAuth: { clientId: 'id', clientSecret: 'secret' } },
  projectId: 'p',
  environment: 'prod',
  path: '/web',
  required: ['SESSION_SECRET'],
  publicKeys: ['APP_NAME'],
  skip: false,
  leakCheck: { ignore: ['DB_HOST'], minLength: 8 },
});

// Function-valued options belong to register().
const schema = {
  '~standard': { version: 1, vendor: 'x', validate: () => ({ value: {} }) },
} as const;
const login = async () => ({ accessToken: '', expiresIn: 0, accessTokenMaxTTL: 0 });
const customAuth = { name: 'custom', renewable: false, login };
// @ts-expect-error schema is not plain data
withInfisical(object, { schema });
// @ts-expect-error onError is not plain data
withInfisical(object, { onError: () => {} });
// @ts-expect-error a custom auth method is not plain data
withInfisical(object, { auth: customAuth });
// @ts-expect-error public prefixes are Next's own
withInfisical(object, { publicPrefixes: ['PUBLIC_'] });
// @ts-expect-error not a Next config
withInfisical('next.config');

// The runtime takes every core option but the prefixes.
register({
  required: ['SESSION_SECRET'],
  schema,
  auth: customAuth,
  onError: () => {},
  cacheTtl: 2,
});
// @ts-expect-error public prefixes are Next's own
register({ publicPrefixes: ['PUBLIC_'] });
expectTypeOf(getSecret('SESSION_SECRET')).toEqualTypeOf<Promise<string>>();
expectTypeOf(getSecrets()).toEqualTypeOf<Promise<Readonly<Record<string, string>>>>();
expectTypeOf(refreshSecrets()).resolves.toBeVoid();
expectTypeOf(closeSecrets()).resolves.toBeVoid();
expectTypeOf(onSecretsChange).parameter(0).parameter(0).toEqualTypeOf<SecretsChangeEvent>();
// A type argument types the key (until keys are declared, any key compiles).
getSecret<'SESSION_SECRET' | 'DB_HOST'>('DB_HOST');
// @ts-expect-error not one of the keys given
getSecret<'SESSION_SECRET' | 'DB_HOST'>('DB_HSOT');
withInfisical(object, { typesFile: 'infisical-keys.generated.d.ts', cacheTtl: 60 });
