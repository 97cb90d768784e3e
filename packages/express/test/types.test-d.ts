import type { SecretValues } from '@infisical/core';
import express, { type Request, type RequestHandler } from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type InfisicalExpressOptions,
  infisical,
  type SecretsChangeEvent,
  type SecretsUnavailableError,
} from '../src/index.ts';

describe('types', () => {
  it('types req.secrets as read-only strings through declaration merging', () => {
    expectTypeOf<Request['secrets']>().toEqualTypeOf<Readonly<Record<string, string>>>();
    const handler: RequestHandler = (req, res) => {
      // No keys declared: any key, and `noUncheckedIndexedAccess` makes it `string | undefined`.
      expectTypeOf(req.secrets.API_TOKEN).toEqualTypeOf<string | undefined>();
      // @ts-expect-error req.secrets is read-only
      req.secrets.API_TOKEN = 'changed';
      // @ts-expect-error req.secrets cannot be replaced
      req.secrets = {};
      res.end();
    };
    void handler;
  });

  it("is a middleware app.use accepts, with the handle's verbs", () => {
    const middleware = infisical();
    express().use(middleware);
    expectTypeOf(middleware).toExtend<RequestHandler>();
    expectTypeOf(middleware.ready()).resolves.toBeVoid();
    expectTypeOf(middleware.refresh()).resolves.toBeVoid();
    expectTypeOf(middleware.close()).resolves.toBeVoid();
    expectTypeOf(middleware.get('X')).toEqualTypeOf<string | undefined>();
    expectTypeOf(middleware.getOrThrow('X')).toEqualTypeOf<string>();
    expectTypeOf(middleware.values).toEqualTypeOf<SecretValues<string>>();
    expectTypeOf(middleware.subscribe)
      .parameter(0)
      .parameter(0)
      .toEqualTypeOf<SecretsChangeEvent>();
    expectTypeOf<SecretsUnavailableError['status']>().toEqualTypeOf<503>();
  });

  it('types the keys from a type argument or a schema', () => {
    const typed = infisical<'API_TOKEN' | 'SESSION_SECRET'>({ required: ['API_TOKEN'] });
    expectTypeOf(typed.get('API_TOKEN')).toEqualTypeOf<string | undefined>();
    // @ts-expect-error an undeclared key does not compile
    typed.get('API_TOKNE');
    // @ts-expect-error nor in required
    infisical<'API_TOKEN'>({ required: ['NOPE'] });
  });

  it("narrows core's options", () => {
    expectTypeOf<{ injectEnv: true; cacheTtl: 60 }>().toExtend<InfisicalExpressOptions>();
    infisical({ typesFile: 'src/infisical-keys.generated.d.ts', refreshInterval: 60 });
    // @ts-expect-error the one name is injectEnv
    infisical({ attachToProcessEnv: true });
    // @ts-expect-error a server has no client bundle: no public keys
    infisical({ publicPrefixes: ['VITE_'] });
    // @ts-expect-error cacheTtl is a number of seconds
    infisical({ cacheTtl: '60' });
  });
});
