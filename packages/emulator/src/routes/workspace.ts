/**
 * Projects and environments: `GET /api/v1/workspace/:workspaceId`, `GET /api/v2/workspace/:slug`
 * and `POST /api/v1/workspace/:workspaceId/environments`.
 *
 * @module routes/workspace
 */
import { z } from 'zod';
import type { Router } from '../http/router.js';
import { isSlug, validate } from '../http/validate.js';
import { actorOf, type GetServices } from './context.js';

/** The project routes. */
export function registerWorkspaceRoutes(router: Router, services: GetServices): void {
  router.add('GET', '/api/v1/workspace/:workspaceId', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { workspaceId } = validate(z.object({ workspaceId: z.string().trim() }), ctx.params);
    return { body: { workspace: s.projects.workspace(actor, workspaceId) } };
  });

  router.add('GET', '/api/v2/workspace/:slug', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { slug } = validate(z.object({ slug: z.string().trim() }), ctx.params);
    return { body: s.projects.workspaceBySlug(actor, slug) };
  });

  router.add('POST', '/api/v1/workspace/:workspaceId/environments', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { workspaceId } = validate(z.object({ workspaceId: z.string().trim() }), ctx.params);
    const body = validate(
      z.object({
        name: z.string().trim(),
        position: z.number().min(1).optional(),
        slug: z.string().trim().refine(isSlug, { message: 'Slug must be a valid slug' }),
      }),
      ctx.body,
    );
    const env = s.projects.createEnvironment(actor, workspaceId, body, s.folders);
    return {
      body: {
        message: 'Successfully created new environment',
        workspace: workspaceId,
        environment: s.projects.environmentView(env),
      },
    };
  });
}
