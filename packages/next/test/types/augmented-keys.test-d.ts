/**
 * Keys declared by the file `typesFile` writes (`infisical-keys.generated.d.ts` here, checked
 * to be exactly the generator's output by with-infisical.test.ts). Checked on its own
 * (`tsc -p test/types`): the augmentation would otherwise apply to every other test.
 */
import { expectTypeOf } from 'vitest';
import { withInfisical } from '../../src/index.ts';
import { getSecret, getSecrets, register } from '../../src/runtime.ts';

expectTypeOf(getSecret('SESSION_SECRET')).toEqualTypeOf<Promise<string>>();
// @ts-expect-error an undeclared key does not compile
getSecret('SESION_SECRET');
expectTypeOf((await getSecrets()).DB_HOST).toEqualTypeOf<string | undefined>();
register({ required: ['SESSION_SECRET'] });
// @ts-expect-error nor in required
register({ required: ['NOPE'] });
withInfisical({}, { required: ['NEXT_PUBLIC_GREETING'] });
// @ts-expect-error nor in withInfisical's required
withInfisical({}, { required: ['NOPE'] });
