/**
 * The control routes the web UI needs besides the test controls: the state without values, one
 * secret's value on demand, the `INFISICAL_*` connection lines, and an identity's client secret on
 * demand. Values leave the emulator only when asked for one by one (the UI asks on a click).
 *
 * @module control/ui-routes
 */
import { z } from 'zod';
import type { Emulator } from '../emulator.js';
import { notFound } from '../http/api-error.js';
import type { Router } from '../http/router.js';
import { validate } from '../http/validate.js';
import { chooseConnection, connectionLines } from './connection.js';
import { guard, secretRef } from './routes.js';
import { stateView } from './state-view.js';

const name = z.string().min(1).max(256);

/** Registers `GET /_emulator/state`, `POST /_emulator/secrets/value`, `GET /_emulator/connection` and `POST /_emulator/identities/:name/client-secret`. */
export function registerUiControlRoutes(router: Router, emulator: Emulator): void {
  router.add('GET', '/_emulator/state', () => ({ body: stateView(emulator.store, emulator.url) }));
  router.add('POST', '/_emulator/secrets/value', (ctx) => {
    const input = validate(
      z
        .object({
          ...secretRef,
          type: z.enum(['shared', 'personal']).default('shared'),
          user: z.string().optional(),
        })
        .strict(),
      ctx.body,
    );
    const secret = guard(() => emulator.secretValue(input));
    if (!secret) throw notFound(`Secret with name '${input.key}' not found`);
    return { body: secret };
  });
  router.add('GET', '/_emulator/connection', (ctx) => {
    const choice = validate(
      z
        .object({
          identity: name.optional(),
          project: name.optional(),
          environment: name.optional(),
        })
        .strict(),
      ctx.query,
    );
    const connection = guard(() =>
      chooseConnection(emulator.store, (identity) => emulator.knownClientSecret(identity), choice),
    );
    return {
      body: {
        identity: connection.identity.name,
        project: connection.project.slug,
        environment: connection.environment.slug,
        lines: connectionLines(emulator.url, connection, false),
      },
    };
  });
  router.add('POST', '/_emulator/identities/:name/client-secret', (ctx) => {
    const identityName = ctx.params.name as string;
    if (!emulator.store.identityByName(identityName)?.universalAuth)
      throw notFound(`No identity "${identityName}" with universalAuth`);
    const clientSecret = emulator.knownClientSecret(identityName);
    if (clientSecret === undefined) throw notFound(unknownClientSecret(identityName));
    return { body: { clientSecret } };
  });
}

/** Why no client secret of an identity can be shown, and how to get one. */
function unknownClientSecret(identityName: string): string {
  return `The emulator knows no client secret of "${identityName}" that still logs in: it keeps client secrets as hashes only, and the seed declares none in clear that is not revoked, used up or expired. Create one with POST /api/v1/auth/universal-auth/identities/<identityId>/client-secrets (the answer holds it once), or declare one in the seed.`;
}
