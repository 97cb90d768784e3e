import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  createSecrets,
  InfisicalError,
  loadSecrets,
  type Secrets,
  type SecretValues,
} from '../src/index.ts';

describe('typed keys from a Standard Schema', () => {
  it('types get, getOrThrow, values and parsed from the schema output (zod)', async () => {
    const secrets = await loadSecrets({
      schema: z.object({ DATABASE_URL: z.string().url(), PORT: z.coerce.number() }),
      required: ['DATABASE_URL'],
    });
    expectTypeOf(secrets.get('DATABASE_URL')).toEqualTypeOf<string | undefined>();
    expectTypeOf(secrets.getOrThrow('PORT')).toEqualTypeOf<string>();
    expectTypeOf(secrets.parsed).toEqualTypeOf<{ DATABASE_URL: string; PORT: number }>();
    expectTypeOf(secrets.values.DATABASE_URL).toEqualTypeOf<string | undefined>();
    // @ts-expect-error an unknown key does not compile
    secrets.get('DATABSE_URL');
    // @ts-expect-error nor does one in required
    createSecrets({ schema: z.object({ A: z.string() }), required: ['B'] });
  });

  it('does the same with valibot', () => {
    const secrets = createSecrets({ schema: v.object({ API_KEY: v.string() }) });
    expectTypeOf(secrets).toEqualTypeOf<Secrets<'API_KEY', { API_KEY: string }>>();
    // @ts-expect-error an unknown key does not compile
    secrets.getOrThrow('API_KEYS');
  });
});

describe('typed keys given explicitly, or none', () => {
  it('takes the keys as a type argument; required does not narrow them', () => {
    const secrets = createSecrets<'A' | 'B'>({ required: ['A'] });
    expectTypeOf(secrets.get('B')).toEqualTypeOf<string | undefined>();
    // @ts-expect-error C is not a declared key
    secrets.get('C');
    // @ts-expect-error nor may required name it
    createSecrets<'A' | 'B'>({ required: ['C'] });
  });

  it('accepts every string without declared keys', async () => {
    const secrets = await loadSecrets({ required: ['ANY'] });
    expectTypeOf(secrets.get('ANYTHING')).toEqualTypeOf<string | undefined>();
    expectTypeOf(secrets.values).toEqualTypeOf<SecretValues<string>>();
    expectTypeOf(secrets.read()).resolves.toEqualTypeOf<Readonly<Record<string, string>>>();
    expectTypeOf(secrets.lastError).toEqualTypeOf<InfisicalError | undefined>();
    expectTypeOf(secrets.close()).toEqualTypeOf<Promise<void>>();
  });

  it('refuses option names and types that do not exist', () => {
    // @ts-expect-error siteURL is not an option (siteUrl is)
    createSecrets({ siteURL: 'https://example.com' });
    // @ts-expect-error injectEnv is a boolean
    createSecrets({ injectEnv: 'yes' });
    // @ts-expect-error refreshInterval is seconds or a boolean
    createSecrets({ refreshInterval: '60' });
  });

  it('restores errors from JSON as InfisicalError', () => {
    expectTypeOf(InfisicalError.from({})).toEqualTypeOf<InfisicalError>();
  });
});
