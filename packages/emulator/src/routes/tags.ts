/**
 * Project tags (`/api/v1/workspace/:projectId/tags`): create, list, get by id or slug, update,
 * delete.
 *
 * @module routes/tags
 */
import { z } from 'zod';
import type { Router } from '../http/router.js';
import { isSlug, validate } from '../http/validate.js';
import { actorOf, type GetServices } from './context.js';

const tagBody = z.object({
  slug: z.string().toLowerCase().trim().refine(isSlug, {
    message: 'Invalid slug. Slug can only contain alphanumeric characters and hyphens.',
  }),
  color: z.string().trim(),
});
const projectParams = z.object({ projectId: z.string().trim() });
const tagParams = z.object({ projectId: z.string().trim(), tagId: z.string().trim() });

/** Tags of a project. */
export function registerTagRoutes(router: Router, services: GetServices): void {
  const base = '/api/v1/workspace/:projectId/tags';
  router.add('GET', base, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { projectId } = validate(projectParams, ctx.params);
    return { body: { workspaceTags: s.tags.list(actor, projectId).map((t) => s.tags.view(t)) } };
  });
  router.add('POST', base, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { projectId } = validate(projectParams, ctx.params);
    const body = validate(tagBody, ctx.body);
    return {
      body: { workspaceTag: s.tags.view(s.tags.create(actor, projectId, body.slug, body.color)) },
    };
  });
  router.add('GET', `${base}/:tagId`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { tagId } = validate(tagParams, ctx.params);
    return { body: { workspaceTag: s.tags.view(s.tags.byId(actor, tagId), true) } };
  });
  router.add('GET', `${base}/slug/:tagSlug`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { projectId, tagSlug } = validate(
      z.object({ projectId: z.string().trim(), tagSlug: z.string().trim() }),
      ctx.params,
    );
    return { body: { workspaceTag: s.tags.view(s.tags.bySlug(actor, projectId, tagSlug), true) } };
  });
  router.add('PATCH', `${base}/:tagId`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { tagId } = validate(tagParams, ctx.params);
    const body = validate(tagBody, ctx.body);
    return {
      body: { workspaceTag: s.tags.view(s.tags.update(actor, tagId, body.slug, body.color)) },
    };
  });
  router.add('DELETE', `${base}/:tagId`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { tagId } = validate(tagParams, ctx.params);
    return { body: { workspaceTag: s.tags.view(s.tags.delete(actor, tagId)) } };
  });
}
