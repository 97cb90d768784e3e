/**
 * Keys declared by the file the plugin writes (`infisical-env.generated.d.ts` here, checked to be
 * exactly the plugin's output by build.test.ts). Checked on its own (`tsc -p test/types`): the
 * augmentation would otherwise apply to every other test.
 */
import { expectTypeOf } from 'vitest';
import { infisical } from '../../src/index.ts';
import { getSecret } from '../../src/server.ts';

expectTypeOf(import.meta.env.VITE_PUBLIC_GREETING).toEqualTypeOf<string>();
expectTypeOf(getSecret('DB_PASSWORD')).toEqualTypeOf<string | undefined>();
// @ts-expect-error an undeclared key does not compile
getSecret('DB_PASWORD');
infisical({ required: ['API_TOKEN'] });
// @ts-expect-error nor in required
infisical({ required: ['NOPE'] });
