import { z } from 'zod';
import { type Action, authorize } from '../auth/permissions.js';
import type { Actor } from '../auth/tokens.js';
import { badRequest, notFound } from '../http/api-error.js';
import type { Router } from '../http/router.js';
import { secretPath, validate } from '../http/validate.js';
import { folderNotFound } from '../secrets/service.js';
import type { Environment, Folder, Project } from '../state/model.js';
import { normalizePath } from '../state/store.js';
import { actorOf, environmentOf, type GetServices, projectOf, type Services } from './context.js';

const folderName = z
  .string()
  .trim()
  .min(1)
  .refine(
    (name) => /^[A-Za-z0-9_-]+$/.test(name),
    'Invalid folder name. Only alphanumeric characters, dashes, and underscores are allowed.',
  );

/** A folder as the folder routes return it. */
function folderView(folder: Folder): Record<string, unknown> {
  return {
    id: folder.id,
    name: folder.name,
    envId: folder.envId,
    version: folder.version,
    description: folder.description,
    parentId: folder.parentId,
    isReserved: false,
    createdAt: folder.createdAt,
    updatedAt: folder.updatedAt,
  };
}

const projectField = {
  workspaceId: z.string().trim().optional(),
  projectId: z.string().trim().optional(),
};

/** Folders: create, list, get by id, delete (`/api/v1/folders`). */
export function registerFolderRoutes(router: Router, services: GetServices): void {
  router.add('POST', '/api/v1/folders', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const body = validate(
      z.object({
        ...projectField,
        environment: z.string().trim(),
        name: folderName,
        path: z.string().trim().optional(),
        directory: z.string().trim().optional(),
        description: z.string().nullish(),
      }),
      ctx.body,
    );
    const project = projectOf(s, body.projectId ?? body.workspaceId ?? '');
    const env = environmentOf(s, project, body.environment);
    authorize(actor, project, 'create', 'secretFolders');
    const parent = normalizePath(body.path ?? body.directory ?? '/');
    const path = normalizePath(`${parent}/${body.name}`);
    if (s.store.folder(project.id, env.slug, path)) {
      throw badRequest(`Folder with name '${body.name}' already exists in path '${parent}'`);
    }
    const folder = s.store.ensureFolder(project.id, env.slug, path);
    folder.description = body.description ?? null;
    return { body: { folder: folderView(folder) } };
  });

  router.add('GET', '/api/v1/folders', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const q = validate(
      z.object({ ...folderLocation, recursive: z.enum(['true', 'false']).optional() }),
      ctx.query,
    );
    const { folder } = locateFolder(s, actor, q, 'read');
    const folders =
      q.recursive === 'true'
        ? descendants(s.store.childFolders.bind(s.store), folder)
        : s.store.childFolders(folder);
    return { body: { folders: folders.map(folderView) } };
  });

  router.add('GET', '/api/v1/folders/:id', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const folder = s.store.folders.get(ctx.params.id as string);
    if (!folder) throw notFound(`Folder with ID '${ctx.params.id}' not found`);
    const project = projectOf(s, folder.projectId);
    authorize(actor, project, 'read', 'secretFolders');
    const env = environmentOf(s, project, folder.environment);
    return {
      body: {
        folder: {
          ...folderView(folder),
          environment: { envId: env.id, envName: env.name, envSlug: env.slug },
          path: folder.path,
          projectId: project.id,
        },
      },
    };
  });

  router.add('DELETE', '/api/v1/folders/:folderIdOrName', (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { folder: parent } = locateFolder(
      s,
      actor,
      validate(z.object(folderLocation), ctx.body),
      'delete',
    );
    const ref = ctx.params.folderIdOrName as string;
    const folder = s.store
      .childFolders(parent)
      .find((child) => child.id === ref || child.name === ref);
    if (!folder) throw notFound(`Folder with ID/name '${ref}' not found`);
    s.store.deleteFolder(folder);
    return { body: { folder: folderView(folder) } };
  });
}

/** Where a folder request points: project, environment and a folder path (`directory` is the legacy alias). */
const folderLocation = {
  ...projectField,
  environment: z.string().trim(),
  path: secretPath,
  directory: z.string().optional(),
};

/** The project, environment and existing folder a request names, after the permission check. */
function locateFolder(
  s: Services,
  actor: Actor,
  input: {
    projectId?: string;
    workspaceId?: string;
    environment: string;
    path: string;
    directory?: string;
  },
  action: Action,
): { project: Project; env: Environment; folder: Folder } {
  const project = projectOf(s, input.projectId ?? input.workspaceId ?? '');
  const env = environmentOf(s, project, input.environment);
  authorize(actor, project, action, 'secretFolders');
  const path = input.directory ? normalizePath(input.directory) : input.path;
  const folder = s.store.folder(project.id, env.slug, path);
  if (!folder) throw folderNotFound({ env, path });
  return { project, env, folder };
}

function descendants(children: (folder: Folder) => Folder[], folder: Folder): Folder[] {
  return children(folder).flatMap((child) => [child, ...descendants(children, child)]);
}
