/**
 * Keys declared by the file `typesFile` writes (`infisical-keys.generated.d.ts` here, checked
 * to be exactly the generator's output by `the typesFile test of middleware.test.ts`). Checked on its own
 * (`tsc -p test/types`): the augmentation would otherwise apply to every other test.
 */
import type { RequestHandler } from 'express';
import { expectTypeOf } from 'vitest';
import { infisical } from '../../src/index.ts';

const handler: RequestHandler = (req, res) => {
  expectTypeOf(req.secrets.API_TOKEN).toEqualTypeOf<string | undefined>();
  // @ts-expect-error an undeclared key does not compile
  void req.secrets.API_TOKNE;
  res.end();
};
void handler;

const secrets = infisical({ required: ['SESSION_SECRET'] });
expectTypeOf(secrets.getOrThrow('SESSION_SECRET')).toEqualTypeOf<string>();
// @ts-expect-error an undeclared key does not compile
secrets.get('SESSION_SECRT');
// @ts-expect-error nor in required
infisical({ required: ['NOPE'] });
