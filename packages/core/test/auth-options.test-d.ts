import { describe, expectTypeOf, it } from 'vitest';
import type { AuthOptions, InfisicalClientOptions, Secret } from '../src/index.ts';
import { InfisicalClient } from '../src/index.ts';

describe('option types', () => {
  it('accepts exactly one auth method', () => {
    expectTypeOf<{
      universalAuth: { clientId: string; clientSecret: string };
    }>().toMatchTypeOf<AuthOptions>();
    expectTypeOf<{ accessToken: string }>().toMatchTypeOf<AuthOptions>();
    expectTypeOf<{ kubernetes: { identityId: string } }>().toMatchTypeOf<AuthOptions>();
    const both: InfisicalClientOptions = {
      // @ts-expect-error two methods at once do not compile
      auth: { universalAuth: { clientId: 'a', clientSecret: 'b' }, accessToken: 't' },
    };
    // @ts-expect-error Universal Auth needs the client secret
    const half: AuthOptions = { universalAuth: { clientId: 'a' } };
    // @ts-expect-error an unknown method does not compile
    const unknown: AuthOptions = { ldap: {} };
    void [both, half, unknown];
  });

  it('types reads', () => {
    const client = new InfisicalClient({ auth: { accessToken: 't' }, env: {} });
    expectTypeOf(client.getSecret('KEY')).resolves.toEqualTypeOf<Secret>();
    expectTypeOf(client.listSecrets()).resolves.toEqualTypeOf<Secret[]>();
    // @ts-expect-error cacheTtl is a number of seconds
    new InfisicalClient({ cacheTtl: '300' });
  });
});
