import { z } from 'zod';
import { authorize } from '../auth/permissions.js';
import { badRequest } from '../http/api-error.js';
import type { Router } from '../http/router.js';
import {
  booleanString,
  secretMetadata,
  secretName,
  secretPath,
  secretType,
  secretValue,
  validate,
} from '../http/validate.js';
import { secretRaw } from '../secrets/serialize.js';
import { folderNotFound, type Scope, type SecretInput } from '../secrets/service.js';
import type { Secret } from '../state/model.js';
import { actorOf, type GetServices, projectOf, required, type Services } from './context.js';

/** The two secrets API families: v3 raw (`workspaceId`/slugs) and v4 (`projectId`). */
type Family = 'v3' | 'v4';

/** Project fields of a query: v3 reads `workspaceId`/`workspaceSlug`, v4 `projectId`. */
const queryScope = {
  projectId: z.string().trim().optional(),
  workspaceId: z.string().trim().optional(),
  workspaceSlug: z.string().trim().optional(),
};

const listQuery = {
  environment: z.string().trim().optional(),
  secretPath,
  viewSecretValue: booleanString('true'),
  expandSecretReferences: booleanString('false'),
  recursive: booleanString('false'),
  include_imports: booleanString('false'),
  tagSlugs: z
    .string()
    .optional()
    .transform((tags) =>
      tags
        ? tags
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : [],
    ),
  metadataFilter: z.string().optional(),
};

const getQuery = {
  environment: z.string().trim().optional(),
  secretPath,
  version: z.coerce.number().int().positive().optional(),
  type: secretType,
  viewSecretValue: booleanString('true'),
  expandSecretReferences: booleanString('false'),
  include_imports: booleanString('false'),
};

const writeFields = {
  environment: z.string().trim(),
  secretPath,
  secretComment: z.string().trim().optional(),
  skipMultilineEncoding: z.boolean().nullish(),
  tagIds: z.array(z.string()).optional(),
  secretMetadata,
  secretReminderNote: z.string().max(1024).nullish(),
  secretReminderRepeatDays: z.number().int().nullish(),
};

/** Scope fields of a body: v3 takes `workspaceId` or `projectSlug`, v4 `projectId`. */
const bodyScope = {
  projectId: z.string().trim().optional(),
  workspaceId: z.string().trim().optional(),
  projectSlug: z.string().trim().optional(),
};

/** Requires the family's project field, with the issue the server's schema reports ("Required"). */
function requireProject<T extends z.ZodRawShape>(family: Family, shape: T) {
  return z.object({ ...bodyScope, ...shape }).superRefine((body: Record<string, unknown>, ctx) => {
    const named = family === 'v4' ? body.projectId : (body.workspaceId ?? body.projectSlug);
    if (!named) {
      const field = family === 'v4' ? 'projectId' : 'workspaceId';
      ctx.addIssue({
        code: 'invalid_type',
        expected: 'string',
        received: 'undefined',
        path: [field],
        message: 'Required',
      });
    }
  });
}

function projectRef(body: Record<string, unknown>): string {
  return String(body.projectId ?? body.workspaceId ?? body.projectSlug);
}

function inputOf(body: {
  secretValue?: string;
  secretComment?: string;
  skipMultilineEncoding?: boolean | null;
  tagIds?: string[];
  secretMetadata?: { key: string; value: string; isEncrypted: boolean }[];
  secretReminderNote?: string | null;
  secretReminderRepeatDays?: number | null;
}): SecretInput {
  return {
    value: body.secretValue,
    comment: body.secretComment,
    skipMultilineEncoding: body.skipMultilineEncoding ?? undefined,
    tagIds: body.tagIds,
    metadata: body.secretMetadata,
    reminderNote: body.secretReminderNote,
    reminderRepeatDays: body.secretReminderRepeatDays,
  };
}

function scopeOf(
  services: Services,
  projectRefValue: string,
  environment: string,
  path: string,
): Scope {
  const project = projectOf(services, projectRefValue);
  const env = services.store.environment(project.id, environment);
  if (!env) throw folderNotFound({ environment, path });
  return { project, env, path };
}

function raw(scope: Scope, secret: Secret, extra: Record<string, unknown> = {}) {
  return { ...secretRaw(secret, scope.env), ...extra };
}

/** Registers list/get/create/update/delete and the batch routes of one secrets API family. */
export function registerSecretRoutes(router: Router, services: GetServices, family: Family): void {
  const base = family === 'v3' ? '/api/v3/secrets/raw' : '/api/v4/secrets';
  const batch = family === 'v3' ? '/api/v3/secrets/batch/raw' : '/api/v4/secrets/batch';
  const listSchema = z.object({ ...queryScope, ...listQuery });
  const getSchema = z.object({ ...queryScope, ...getQuery });
  const queryProject = (q: z.infer<typeof listSchema> | z.infer<typeof getSchema>) =>
    family === 'v4' ? q.projectId : (q.workspaceId ?? q.workspaceSlug);

  router.add('GET', base, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const q = validate(listSchema, ctx.query);
    const ref = queryProject(q);
    if (!ref || !q.environment) throw badRequest('Missing project id or environment');
    const scope = scopeOf(s, ref, q.environment, q.secretPath);
    authorize(actor, scope.project, 'read');
    return {
      body: s.secrets.list(actor, scope, {
        recursive: q.recursive,
        includeImports: q.include_imports,
        expand: q.expandSecretReferences,
        viewSecretValue: q.viewSecretValue,
        tagSlugs: q.tagSlugs,
        importedSecretPath: family === 'v4',
      }),
    };
  });

  router.add('GET', `${base}/:secretName`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const q = validate(getSchema, ctx.query);
    const environment = required(q.environment, 'Missing environment');
    const ref = required(
      queryProject(q),
      family === 'v4' ? 'Missing projectId' : 'You must provide workspaceSlug or workspaceId',
    );
    const scope = scopeOf(s, ref, environment, q.secretPath);
    authorize(actor, scope.project, 'read');
    return {
      body: s.secrets.get(actor, scope, ctx.params.secretName as string, {
        type: q.type,
        version: q.version,
        expand: q.expandSecretReferences,
        includeImports: q.include_imports,
        viewSecretValue: q.viewSecretValue,
      }),
    };
  });

  router.add('POST', `${base}/:secretName`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const name = validate(z.object({ secretName }), ctx.params).secretName;
    const body = validate(
      requireProject(family, { ...writeFields, secretValue, type: secretType }),
      ctx.body,
    );
    const scope = scopeOf(s, projectRef(body), body.environment, body.secretPath);
    authorize(actor, scope.project, 'create');
    const secret = s.secrets.create(actor, scope, name, body.type, inputOf(body));
    return { body: { secret: raw(scope, secret) } };
  });

  router.add('PATCH', `${base}/:secretName`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const body = validate(
      requireProject(family, {
        ...writeFields,
        secretValue: secretValue.optional(),
        type: secretType,
        newSecretName: secretName.optional(),
        metadata: z.record(z.string()).optional(),
        secretReminderRecipients: z.array(z.string()).optional(),
      }),
      ctx.body,
    );
    const scope = scopeOf(s, projectRef(body), body.environment, body.secretPath);
    authorize(actor, scope.project, 'edit');
    const secret = s.secrets.update(actor, scope, ctx.params.secretName as string, body.type, {
      ...inputOf(body),
      newSecretName: body.newSecretName,
    });
    return { body: { secret: raw(scope, secret, { secretValueHidden: false }) } };
  });

  router.add('DELETE', `${base}/:secretName`, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const body = validate(
      requireProject(family, { environment: z.string().trim(), secretPath, type: secretType }),
      ctx.body,
    );
    const scope = scopeOf(s, projectRef(body), body.environment, body.secretPath);
    authorize(actor, scope.project, 'delete');
    const secret = s.secrets.delete(actor, scope, ctx.params.secretName as string, body.type);
    return { body: { secret: raw(scope, secret) } };
  });

  const batchScope = { environment: z.string().trim(), secretPath };

  router.add('POST', batch, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const body = validate(
      requireProject(family, {
        ...batchScope,
        secrets: z
          .array(
            z.object({
              secretKey: secretName,
              secretValue,
              secretComment: z.string().trim().default(''),
              skipMultilineEncoding: z.boolean().nullish(),
              metadata: z.record(z.string()).optional(),
              secretMetadata,
              tagIds: z.array(z.string()).optional(),
            }),
          )
          .min(1),
      }),
      ctx.body,
    );
    const scope = scopeOf(s, projectRef(body), body.environment, body.secretPath);
    authorize(actor, scope.project, 'create');
    const created = s.secrets.createMany(
      scope,
      body.secrets.map((item) => ({ secretKey: item.secretKey, ...inputOf(item) })),
    );
    return { body: { secrets: created.map((secret) => raw(scope, secret)) } };
  });

  router.add('PATCH', batch, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const body = validate(
      requireProject(family, {
        ...batchScope,
        mode: z.enum(['failOnNotFound', 'upsert', 'ignore']).default('failOnNotFound'),
        secrets: z
          .array(
            z.object({
              secretKey: secretName,
              secretValue: secretValue.optional(),
              secretPath: z.string().trim().optional(),
              secretComment: z.string().trim().optional(),
              skipMultilineEncoding: z.boolean().nullish(),
              newSecretName: secretName.optional(),
              tagIds: z.array(z.string()).optional(),
              secretReminderNote: z.string().max(1024).nullish(),
              secretReminderRepeatDays: z.number().int().nullish(),
              secretMetadata,
            }),
          )
          .min(1),
      }),
      ctx.body,
    );
    const scope = scopeOf(s, projectRef(body), body.environment, body.secretPath);
    authorize(actor, scope.project, 'edit');
    const updated = s.secrets.updateMany(
      scope,
      body.mode,
      body.secrets.map((item) => ({
        secretKey: item.secretKey,
        ...(item.secretPath === undefined ? {} : { secretPath: secretPath.parse(item.secretPath) }),
        newSecretName: item.newSecretName,
        ...inputOf(item),
      })),
    );
    return { body: { secrets: updated.map((secret) => raw(scope, secret)) } };
  });

  router.add('DELETE', batch, (ctx) => {
    const s = services();
    const actor = actorOf(s, ctx);
    const body = validate(
      requireProject(family, {
        ...batchScope,
        secrets: z.array(z.object({ secretKey: secretName, type: secretType })).min(1),
      }),
      ctx.body,
    );
    const scope = scopeOf(s, projectRef(body), body.environment, body.secretPath);
    authorize(actor, scope.project, 'delete');
    const deleted = s.secrets.deleteMany(actor, scope, body.secrets);
    return { body: { secrets: deleted.map((secret) => raw(scope, secret)) } };
  });
}
