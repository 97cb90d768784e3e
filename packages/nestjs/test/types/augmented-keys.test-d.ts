/**
 * Keys declared by the file `typesFile` writes (`infisical-keys.generated.d.ts` here, checked
 * to be exactly the generator's output by infisical-service.test.ts). Checked on its own
 * (`tsc -p test/types`): the augmentation would otherwise apply to every other test.
 */
import { expectTypeOf } from 'vitest';
import { InfisicalModule, type InfisicalService } from '../../src/index.ts';

declare const infisical: InfisicalService;
expectTypeOf(infisical.get('API_TOKEN')).toEqualTypeOf<string | undefined>();
expectTypeOf(infisical.getOrThrow('DATABASE_URL')).toEqualTypeOf<string>();
// @ts-expect-error an undeclared key does not compile
infisical.get('API_TOKNE');
InfisicalModule.forRoot({ required: ['SESSION_SECRET'] });
// @ts-expect-error nor in required
InfisicalModule.forRoot({ required: ['NOPE'] });
