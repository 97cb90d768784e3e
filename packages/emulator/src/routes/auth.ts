/**
 * Universal Auth login, token renew and revoke, and the Universal Auth client secrets of an
 * identity (`/api/v1/auth/universal-auth/identities/:identityId/client-secrets`).
 *
 * @module routes/auth
 */
import { z } from 'zod';
import type { Router } from '../http/router.js';
import { validate } from '../http/validate.js';
import { actorOf, type GetServices } from './context.js';

const clientSecretBody = z.object({
  description: z.string().trim().default(''),
  numUsesLimit: z.number().min(0).default(0),
  ttl: z.number().min(0).max(315360000).default(0),
});
const identityParams = z.object({ identityId: z.string() });
const clientSecretParams = z.object({ identityId: z.string(), clientSecretId: z.string() });

/** Universal Auth login, token renew and revoke, client secrets. */
export function registerAuthRoutes(router: Router, services: GetServices): void {
  router.add('POST', '/api/v1/auth/universal-auth/login', (ctx) => {
    const body = validate(
      z.object({
        clientId: z.string().trim(),
        clientSecret: z.string().trim(),
        subOrganizationName: z.string().optional(),
      }),
      ctx.body,
    );
    return { body: services().universalAuth.login(body.clientId, body.clientSecret) };
  });

  router.add('POST', '/api/v1/auth/token/renew', (ctx) => {
    const body = validate(z.object({ accessToken: z.string().trim() }), ctx.body);
    return { body: services().tokens.renew(body.accessToken) };
  });

  router.add('POST', '/api/v1/auth/token/revoke', (ctx) => {
    const body = validate(z.object({ accessToken: z.string().trim() }), ctx.body);
    services().tokens.revoke(body.accessToken);
    return { body: { message: 'Successfully revoked access token' } };
  });

  const secrets = '/api/v1/auth/universal-auth/identities/:identityId/client-secrets';
  router.add('POST', secrets, (ctx) => {
    const s = services();
    actorOf(s, ctx);
    const { identityId } = validate(identityParams, ctx.params);
    const body = validate(clientSecretBody, ctx.body);
    return { body: s.universalAuth.create(identityId, body) };
  });
  router.add('GET', secrets, (ctx) => {
    const s = services();
    actorOf(s, ctx);
    const { identityId } = validate(identityParams, ctx.params);
    return { body: { clientSecretData: s.universalAuth.list(identityId) } };
  });
  router.add('GET', `${secrets}/:clientSecretId`, (ctx) => {
    const s = services();
    actorOf(s, ctx);
    const { identityId, clientSecretId } = validate(clientSecretParams, ctx.params);
    return { body: { clientSecretData: s.universalAuth.get(identityId, clientSecretId) } };
  });
  router.add('POST', `${secrets}/:clientSecretId/revoke`, (ctx) => {
    const s = services();
    actorOf(s, ctx);
    const { identityId, clientSecretId } = validate(clientSecretParams, ctx.params);
    return { body: { clientSecretData: s.universalAuth.revoke(identityId, clientSecretId) } };
  });
}
