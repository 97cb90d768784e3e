import { z } from 'zod';
import { authorize } from '../auth/permissions.js';
import { badRequest } from '../http/api-error.js';
import type { Router } from '../http/router.js';
import { validate } from '../http/validate.js';
import { stableId } from '../state/ids.js';
import type { Environment } from '../state/model.js';
import { actorOf, type GetServices, projectOf } from './context.js';

/** Environments of a project: list and create (`/api/v1/workspace/:workspaceId/environments`). */
export function registerEnvironmentRoutes(router: Router, services: GetServices): void {
  router.add('GET', '/api/v1/workspace/:workspaceId/environments', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const project = projectOf(s, ctx.params.workspaceId as string);
    authorize(actor, project, 'read', 'environments');
    return { body: { environments: s.store.projectEnvironments(project.id) } };
  });

  router.add('POST', '/api/v1/workspace/:workspaceId/environments', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const body = validate(
      z.object({
        name: z.string().trim().min(1),
        slug: z
          .string()
          .trim()
          .min(1)
          .max(64)
          .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'Invalid slug'),
        position: z.number().int().min(1).optional(),
      }),
      ctx.body,
    );
    const project = projectOf(s, ctx.params.workspaceId as string);
    authorize(actor, project, 'create', 'environments');
    if (s.store.environment(project.id, body.slug))
      throw badRequest('Environment with slug already exist');
    const at = new Date().toISOString();
    const env: Environment = {
      id: stableId('env', project.id, body.slug),
      projectId: project.id,
      slug: body.slug,
      name: body.name,
      position: body.position ?? s.store.projectEnvironments(project.id).length + 1,
      createdAt: at,
      updatedAt: at,
    };
    s.store.environments.set(env.id, env);
    s.store.ensureFolder(project.id, env.slug, '/', at);
    return {
      body: {
        message: 'Successfully created new environment',
        workspace: project.id,
        environment: env,
      },
    };
  });
}
