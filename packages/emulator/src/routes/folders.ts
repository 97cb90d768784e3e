/**
 * Folders (`/api/v1/folders`): create (with missing parents), list, get by id, rename and
 * delete; the semantics live in the folder service.
 *
 * @module routes/folders
 */
import { z } from 'zod';
import type { Router } from '../http/router.js';
import { validate } from '../http/validate.js';
import { isValidFolderName, prefixWithSlash, removeTrailingSlash } from '../state/paths.js';
import { actorOf, type GetServices, type Services } from './context.js';

/** A folder path as the folder routes read it: trimmed, default `/`, leading slash added, one trailing slash dropped. */
const folderPath = z
  .string()
  .trim()
  .default('/')
  .transform(prefixWithSlash)
  .transform(removeTrailingSlash);
const location = {
  workspaceId: z.string().trim(),
  environment: z.string().trim(),
};

/** The folder name rule of the version (newer servers refuse what a path lookup would). */
function folderName(s: Services) {
  const name = z.string().trim();
  return s.behaviours.folderNames === 'validated'
    ? name.refine(
        isValidFolderName,
        'Invalid folder name. Only alphanumeric characters, dashes, and underscores are allowed.',
      )
    : name;
}

const scope = (body: { workspaceId: string; environment: string; path: string }) => ({
  projectId: body.workspaceId,
  environment: body.environment,
  path: body.path,
});

/** Folders: create, list, get by id, rename, delete. */
export function registerFolderRoutes(router: Router, services: GetServices): void {
  router.add('POST', '/api/v1/folders', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const body = validate(
      z.object({
        ...location,
        name: folderName(s),
        path: folderPath,
        directory: folderPath,
        description: z.string().nullish(),
      }),
      ctx.body,
    );
    const folder = s.folders.create(actor, scope(body), body.name, body.description ?? null);
    return { body: { folder: s.folders.view(folder) } };
  });

  router.add('PATCH', '/api/v1/folders/:folderId', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { folderId } = validate(z.object({ folderId: z.string() }), ctx.params);
    const body = validate(
      z.object({ ...location, name: folderName(s), path: folderPath, directory: folderPath }),
      ctx.body,
    );
    const folder = s.folders.rename(actor, scope(body), folderId, body.name);
    return { body: { folder: s.folders.view(folder) } };
  });

  router.add('DELETE', '/api/v1/folders/:folderIdOrName', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { folderIdOrName } = validate(z.object({ folderIdOrName: z.string() }), ctx.params);
    const body = validate(
      z.object({ ...location, path: folderPath, directory: folderPath }),
      ctx.body,
    );
    const folder = s.folders.delete(actor, scope(body), folderIdOrName);
    return { body: { folder: s.folders.view(folder) } };
  });

  router.add('GET', '/api/v1/folders', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const q = validate(
      z.object({ ...location, path: folderPath, directory: folderPath }),
      ctx.query,
    );
    return { body: { folders: s.folders.list(actor, scope(q)).map((f) => s.folders.view(f)) } };
  });

  router.add('GET', '/api/v1/folders/:id', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { id } = validate(z.object({ id: z.string().trim() }), ctx.params);
    const { folder, env } = s.folders.byId(actor, id);
    return {
      body: {
        folder: {
          ...s.folders.view(folder),
          environment: { envId: env.id, envName: env.name, envSlug: env.slug },
          path: folder.path,
          projectId: folder.projectId,
        },
      },
    };
  });
}
