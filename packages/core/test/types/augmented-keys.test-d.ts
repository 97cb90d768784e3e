/**
 * Keys declared by augmenting `InfisicalSecretKeys`, as a generated `.d.ts` does. Checked on its
 * own (`tsc -p test/types`): the augmentation would otherwise apply to every other test.
 */
import { createSecrets, type SecretKey } from '@infisical/core';
import { expectTypeOf } from 'vitest';

declare module '@infisical/core' {
  interface InfisicalSecretKeys {
    DATABASE_URL: true;
    STRIPE_KEY: true;
  }
}

expectTypeOf<SecretKey>().toEqualTypeOf<'DATABASE_URL' | 'STRIPE_KEY'>();
const secrets = createSecrets();
expectTypeOf(secrets.get('DATABASE_URL')).toEqualTypeOf<string | undefined>();
expectTypeOf(secrets.getOrThrow('STRIPE_KEY')).toEqualTypeOf<string>();
// @ts-expect-error an undeclared key does not compile
secrets.get('DATABSE_URL');
// @ts-expect-error nor in required
createSecrets({ required: ['NOPE'] });
