import { z } from 'zod';
import { safeEqual } from '../auth/constant-time.js';
import { unauthorized } from '../http/api-error.js';
import type { Router } from '../http/router.js';
import { validate } from '../http/validate.js';
import type { GetServices } from './context.js';

/** Universal Auth login, token renew and revoke. */
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
    const s = services();
    const identity = s.store.identityByClientId(body.clientId);
    const ua = identity?.universalAuth;
    if (!identity || !ua || !safeEqual(body.clientSecret, ua.clientSecret))
      throw unauthorized('Invalid credentials');
    return { body: s.tokens.issue(identity, ua) };
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
}
