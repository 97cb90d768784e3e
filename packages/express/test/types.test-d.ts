import express, { type Request, type RequestHandler } from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type InfisicalExpressOptions,
  type InfisicalSecrets,
  infisical,
  type SecretsUnavailableError,
} from '../src/index.ts';

describe('types', () => {
  it('types req.secrets as read-only strings through declaration merging', () => {
    expectTypeOf<Request['secrets']>().toEqualTypeOf<Readonly<Record<string, string>>>();
    const handler: RequestHandler = (req, res) => {
      expectTypeOf(req.secrets.API_TOKEN).toEqualTypeOf<string | undefined>();
      // @ts-expect-error req.secrets is read-only
      req.secrets.API_TOKEN = 'changed';
      // @ts-expect-error req.secrets cannot be replaced
      req.secrets = {};
      res.end();
    };
    void handler;
  });

  it('is a middleware app.use accepts, with ready(), secrets() and close()', () => {
    const middleware = infisical();
    express().use(middleware);
    expectTypeOf(middleware).toExtend<RequestHandler>();
    expectTypeOf(middleware.ready()).resolves.toBeVoid();
    expectTypeOf(middleware.secrets()).toEqualTypeOf<InfisicalSecrets>();
    expectTypeOf<SecretsUnavailableError['status']>().toEqualTypeOf<503>();
  });

  it("narrows core's options", () => {
    expectTypeOf<{ attachToProcessEnv: true; cacheTtl: 60 }>().toExtend<InfisicalExpressOptions>();
    // @ts-expect-error core's injectEnv is spelled attachToProcessEnv here
    infisical({ injectEnv: true });
    // @ts-expect-error a server has no client bundle: no public keys
    infisical({ publicPrefixes: ['VITE_'] });
    // @ts-expect-error cacheTtl is a number of seconds
    infisical({ cacheTtl: '60' });
  });
});
