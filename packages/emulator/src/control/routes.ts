/**
 * The test-control API under `/_emulator`: health, reset, request counters and log, faults,
 * secrets changed from outside, tokens, the clock, and cloud credentials for the login tests.
 *
 * @module control/routes
 */
import { z } from 'zod';
import type { Emulator } from '../emulator.js';
import { ApiError } from '../http/api-error.js';
import type { RouteContext, Router } from '../http/router.js';
import { validate } from '../http/validate.js';
import { authMethodsOf } from './state-view.js';

const faultSchema = z
  .object({
    route: z.string().min(1),
    status: z.number().int().min(100).max(599).optional(),
    body: z.unknown().optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    reset: z.boolean().optional(),
    retryAfter: z.number().int().min(0).optional(),
    times: z.number().int().positive().optional(),
    rate: z.number().min(0).max(1).optional(),
  })
  .strict();

/** The fields that locate a secret in the control API's bodies. */
export const secretRef = {
  project: z.string().min(1),
  environment: z.string().min(1),
  path: z.string().default('/'),
  key: z.string().min(1),
};

/** The test-control API under `/_emulator` (never mixed with Infisical paths). */
export function registerControlRoutes(router: Router, emulator: Emulator): void {
  router.add('GET', '/_emulator/health', () => ({
    body: { ok: true, url: emulator.url, serverVersion: emulator.serverVersion },
  }));
  router.add('POST', '/_emulator/reset', () => {
    emulator.reset();
    return { body: { ok: true } };
  });
  router.add('GET', '/_emulator/requests', () => ({ body: emulator.requests() }));
  router.add('DELETE', '/_emulator/requests', () => {
    emulator.clearRequests();
    return { body: { ok: true } };
  });
  router.add('GET', '/_emulator/faults', () => ({ body: { faults: emulator.faults() } }));
  router.add('POST', '/_emulator/faults', (ctx) => ({
    body: { fault: emulator.injectFault(validate(faultSchema, ctx.body)) },
  }));
  router.add('DELETE', '/_emulator/faults', () => {
    emulator.clearFaults();
    return { body: { ok: true } };
  });
  router.add('DELETE', '/_emulator/faults/:id', (ctx) => {
    emulator.clearFaults(ctx.params.id);
    return { body: { ok: true } };
  });
  router.add('PUT', '/_emulator/secrets', (ctx) => {
    const input = validate(
      z
        .object({
          ...secretRef,
          value: z.string(),
          type: z.enum(['shared', 'personal']).default('shared'),
          user: z.string().optional(),
        })
        .strict(),
      ctx.body,
    );
    return { body: { secret: guard(() => emulator.setSecret(input)) } };
  });
  router.add('DELETE', '/_emulator/secrets', (ctx) => {
    const input = validate(z.object(secretRef).strict(), ctx.body);
    return { body: { deleted: guard(() => emulator.deleteSecret(input)) } };
  });
  router.add('POST', '/_emulator/identities/:name/tokens', (ctx) => {
    const input = validate(
      z.object({ accessTokenTTL: z.number().int().min(0).optional() }).strict(),
      ctx.body,
    );
    return { body: guard(() => emulator.issueToken(ctx.params.name as string, input)) };
  });
  router.add('POST', '/_emulator/clock', (ctx) => {
    const input = validate(z.object({ advanceMs: z.number().int().positive() }).strict(), ctx.body);
    return { body: { offsetMs: emulator.advanceClock(input.advanceMs) } };
  });
  registerCloudControlRoutes(router, emulator);
}

const expiresIn = z.number().int().min(-315360000).max(315360000).optional();
const oidcTokenSchema = z
  .object({
    sub: z.string().min(1).optional(),
    aud: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    iss: z.string().min(1).optional(),
    claims: z.record(z.unknown()).optional(),
    expiresIn,
  })
  .strict();

/** Control routes that mint cloud and IdP credentials for tests. */
function registerCloudControlRoutes(router: Router, emulator: Emulator): void {
  router.add('GET', '/_emulator/identities', () => ({
    body: {
      identities: [...emulator.store.identities()].map((identity) => ({
        id: identity.id,
        name: identity.name,
        authMethods: authMethodsOf(identity),
      })),
    },
  }));
  router.add('POST', '/_emulator/kubernetes/tokens', (ctx) => {
    const input = validate(
      z
        .object({
          namespace: z.string().min(1),
          name: z.string().min(1),
          audiences: z.array(z.string().min(1)).optional(),
          expiresIn,
        })
        .strict(),
      ctx.body,
    );
    return { body: { token: guard(() => emulator.issueKubernetesToken(input)) } };
  });
  const mint = (ctx: RouteContext) => ({
    body: { token: emulator.issueOidcToken(validate(oidcTokenSchema, ctx.body)) },
  });
  router.add('POST', '/_emulator/oidc/tokens', mint);
  router.add('POST', '/_emulator/jwt/tokens', mint);
  router.add('GET', '/_emulator/gcp/service-accounts/:email/key', (ctx) => ({
    body: guard(() => emulator.gcpServiceAccountKey(ctx.params.email)),
  }));
}

/** Runs a programmatic control method; its plain errors answer 400 with their message. */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, 'BadRequest', (error as Error).message);
  }
}
