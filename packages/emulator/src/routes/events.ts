/**
 * `POST /api/v1/events/subscribe/project-events` (newest servers only; the 2024-10 release has no
 * such route): the body schema, the connection limit, and the stream of `events/stream`.
 *
 * @module routes/events
 */
import { z } from 'zod';
import { authorize, permissionProject } from '../auth/permissions.js';
import { MAX_STREAMS_PER_IDENTITY } from '../events/stream.js';
import { ApiError } from '../http/api-error.js';
import type { Router } from '../http/router.js';
import { validate } from '../http/validate.js';
import { actorOf, type GetServices } from './context.js';

const registration = z.object({
  event: z.enum(['secret:create', 'secret:update', 'secret:delete', 'secret:import-mutation']),
  conditions: z
    .object({
      environmentSlug: z.string().optional(),
      secretPath: z.string().optional(),
    })
    .optional(),
});

/** The event stream route. */
export function registerEventRoutes(router: Router, services: GetServices): void {
  router.add('POST', '/api/v1/events/subscribe/project-events', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const body = validate(
      z.object({
        projectId: z.string().trim(),
        register: z.array(registration).min(1).max(10),
      }),
      ctx.body,
    );
    const project = permissionProject(s.store, body.projectId);
    authorize(actor, project, 'read');
    const identityId = actor.identity.id;
    if (s.events.count(project.id, identityId) >= MAX_STREAMS_PER_IDENTITY) {
      throw new ApiError(
        429,
        'RateLimitExceeded',
        `Too many active connections for project ${project.id}. Please close some connections before opening a new one.`,
      );
    }
    const header = ctx.headers.authorization;
    const authorization = Array.isArray(header) ? header[0] : header;
    return {
      stream: (res) =>
        s.events.open(res, {
          projectId: project.id,
          identityId,
          register: body.register,
          stillAuthorised: () => {
            try {
              s.tokens.authenticate(authorization);
              return true;
            } catch {
              return false;
            }
          },
        }),
    };
  });
}
