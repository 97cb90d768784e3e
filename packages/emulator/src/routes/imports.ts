/**
 * Secret imports (`/api/v1/secret-imports`): create, list, get by id, move or re-point, delete,
 * and the imported secrets of a folder.
 *
 * @module routes/imports
 */
import { z } from 'zod';
import type { Router } from '../http/router.js';
import { secretPath, validate } from '../http/validate.js';
import { removeTrailingSlash } from '../state/paths.js';
import { actorOf, type GetServices } from './context.js';

const location = {
  workspaceId: z.string().trim(),
  environment: z.string().trim(),
  path: secretPath,
};
const idParams = z.object({ secretImportId: z.string().trim() });
const scope = (body: { workspaceId: string; environment: string; path: string }) => ({
  projectId: body.workspaceId,
  environment: body.environment,
  path: body.path,
});

/** Secret imports. */
export function registerImportRoutes(router: Router, services: GetServices): void {
  const base = '/api/v1/secret-imports';
  router.add('POST', base, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const body = validate(
      z.object({
        ...location,
        import: z.object({
          environment: z.string().trim(),
          path: z.string().trim().transform(removeTrailingSlash),
        }),
        isReplication: z.boolean().default(false),
      }),
      ctx.body,
    );
    const imp = s.imports.create(actor, scope(body), body.import);
    return {
      body: {
        message: 'Successfully created secret import',
        secretImport: s.imports.view(imp),
      },
    };
  });
  router.add('PATCH', `${base}/:secretImportId`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { secretImportId } = validate(idParams, ctx.params);
    const body = validate(
      z.object({
        ...location,
        import: z.object({
          environment: z.string().trim().optional(),
          path: z
            .string()
            .trim()
            .optional()
            .transform((path) => (path ? removeTrailingSlash(path) : path)),
          position: z.number().optional(),
        }),
      }),
      ctx.body,
    );
    const imp = s.imports.update(actor, scope(body), secretImportId, {
      ...(body.import.environment === undefined ? {} : { environment: body.import.environment }),
      ...(body.import.path === undefined ? {} : { path: body.import.path }),
      ...(body.import.position === undefined ? {} : { position: body.import.position }),
    });
    return {
      body: {
        message: 'Successfully updated secret import',
        secretImport: s.imports.view(imp),
      },
    };
  });
  router.add('DELETE', `${base}/:secretImportId`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { secretImportId } = validate(idParams, ctx.params);
    const body = validate(z.object(location), ctx.body);
    const imp = s.imports.delete(actor, scope(body), secretImportId);
    return {
      body: {
        message: 'Successfully deleted secret import',
        secretImport: s.imports.view(imp),
      },
    };
  });
  router.add('GET', base, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const q = validate(z.object(location), ctx.query);
    return {
      body: {
        message: 'Successfully fetched secret imports',
        secretImports: s.imports.list(actor, scope(q)).map((imp) => s.imports.view(imp)),
      },
    };
  });
  router.add('GET', `${base}/secrets/raw`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const q = validate(z.object(location), ctx.query);
    return { body: { secrets: s.imports.secrets(actor, scope(q)) } };
  });
  router.add('GET', `${base}/:secretImportId`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const { secretImportId } = validate(idParams, ctx.params);
    const { imp, folder, env, project } = s.imports.byId(actor, secretImportId);
    const view = s.imports.view(imp);
    const { importEnv, ...rest } = view;
    return {
      body: {
        secretImport: {
          ...rest,
          environment: { id: env.id, name: env.name, slug: env.slug },
          projectId: project.id,
          importEnv,
          secretPath: folder.path,
        },
      },
    };
  });
}
