/**
 * The secrets routes of one API family (v3 raw with `workspaceId`, v4 with `projectId`): they
 * read the request with the server version's schemas, name the project, and hand over to the
 * secret service.
 *
 * @module routes/secrets
 */
import { z } from 'zod';
import { badRequest } from '../http/api-error.js';
import type { RouteContext, Router } from '../http/router.js';
import {
  booleanString,
  secretMetadata,
  secretNameSchema,
  secretPath,
  secretType,
  secretValue,
  validate,
} from '../http/validate.js';
import type { SecretInput } from '../secrets/service.js';
import type { Behaviours } from '../versions/behaviours.js';
import { actorOf, type GetServices, type Services } from './context.js';

/** The two secrets API families: v3 raw (`workspaceId`/slugs) and v4 (`projectId`). */
type Family = 'v3' | 'v4';

const optionalString = z.string().trim().optional();
/** A field the server version does not declare: whatever is sent is dropped, as zod strips unknown keys. */
const ignored = z.unknown().transform((): undefined => undefined);
const reminderDays = z.number().optional().nullable();
const reminderNote = z.string().optional().nullable();

/** `tagSlugs=a, b` → `['a', 'b']` (an empty value is no filter). */
const tagSlugs = z
  .string()
  .optional()
  .transform((tags) => (tags ? tags.split(',').map((t) => t.trim()) : []));

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

/** The request schemas of a family, as the server version declares them (field order kept: zod reports issues in it). */
function schemasFor(b: Behaviours, family: Family) {
  const name = z.object({ secretName: secretNameSchema(b.secretNamesRejectColonSlash) });
  const v3 = family === 'v3';
  const queryProject = {
    projectId: v3 ? ignored : optionalString,
    workspaceId: v3 ? optionalString : ignored,
    workspaceSlug: v3 ? optionalString : ignored,
  };
  const view = { viewSecretValue: b.viewSecretValueParam ? booleanString('true') : ignored };
  const list = z.object({
    ...queryProject,
    environment: optionalString,
    secretPath,
    ...view,
    expandSecretReferences: booleanString('false'),
    recursive: booleanString('false'),
    include_imports: booleanString('false'),
    tagSlugs,
  });
  const get = z.object({
    ...queryProject,
    environment: optionalString,
    secretPath,
    version: z.coerce.number().optional(),
    type: secretType,
    ...view,
    expandSecretReferences: booleanString('false'),
    include_imports: booleanString('false'),
  });
  const bodyProject = {
    projectId: v3 ? ignored : z.string().trim(),
    workspaceId: v3 ? (b.projectSlugInBody ? optionalString : z.string().trim()) : ignored,
    projectSlug: v3 && b.projectSlugInBody ? optionalString : ignored,
  };
  const value = b.patchRequiresValue ? secretValue : secretValue.optional();
  const metadata = { secretMetadata: b.responseFields.secretMetadata ? secretMetadata : ignored };
  const create = z.object({
    ...bodyProject,
    environment: z.string().trim(),
    secretPath,
    secretValue,
    secretComment: z.string().trim().optional().default(''),
    tagIds: z.string().array().optional(),
    skipMultilineEncoding: z.boolean().optional(),
    type: secretType,
    secretReminderRepeatDays: reminderDays,
    secretReminderNote: reminderNote,
    ...metadata,
  });
  const update = z.object({
    ...bodyProject,
    environment: z.string().trim(),
    secretValue: value,
    secretPath,
    skipMultilineEncoding: z.boolean().optional(),
    type: secretType,
    tagIds: z.string().array().optional(),
    metadata: z.record(z.string()).optional(),
    secretReminderNote: reminderNote,
    secretReminderRepeatDays: reminderDays,
    newSecretName: z.string().min(1).optional(),
    secretComment: z.string().optional(),
    ...metadata,
  });
  const remove = z.object({
    ...bodyProject,
    environment: z.string().trim(),
    secretPath,
    type: secretType,
  });
  const batchProject = {
    projectId: v3 ? ignored : z.string().trim(),
    projectSlug: v3 ? optionalString : ignored,
    workspaceId: v3 ? optionalString : ignored,
  };
  const batchKey = b.secretNamesRejectColonSlash ? secretNameSchema(true) : z.string().trim();
  const batchScope = { ...batchProject, environment: z.string().trim(), secretPath };
  const batchCreate = z.object({
    ...batchScope,
    secrets: z
      .object({
        secretKey: batchKey,
        secretValue,
        secretComment: z.string().trim().optional().default(''),
        skipMultilineEncoding: z.boolean().optional(),
        metadata: z.record(z.string()).optional(),
        tagIds: z.string().array().optional(),
        ...metadata,
      })
      .array()
      .min(1),
  });
  const batchUpdate = z.object({
    ...batchScope,
    mode: b.batchUpdateModes
      ? z.enum(['failOnNotFound', 'upsert', 'ignore']).default('failOnNotFound')
      : ignored,
    secrets: z
      .object({
        secretKey: batchKey,
        secretValue: b.batchUpdateModes ? secretValue.optional() : secretValue,
        secretPath: b.batchUpdateModes ? z.string().trim().optional() : ignored,
        secretComment: z.string().trim().optional(),
        skipMultilineEncoding: z.boolean().optional(),
        newSecretName: z.string().min(1).optional(),
        tagIds: z.string().array().optional(),
        secretReminderNote: reminderNote,
        secretReminderRepeatDays: reminderDays,
        ...metadata,
      })
      .array()
      .min(1),
  });
  const batchDelete = z.object({
    ...batchScope,
    secrets: z.object({ secretKey: batchKey, type: secretType }).array().min(1),
  });
  return { name, list, get, create, update, remove, batchCreate, batchUpdate, batchDelete };
}

type Schemas = ReturnType<typeof schemasFor>;

/** The project a single-secret body names (`workspaceId`/`projectId`, or newer servers' `projectSlug`). */
function bodyProjectId(
  s: Services,
  body: {
    projectId?: string | undefined;
    workspaceId?: string | undefined;
    projectSlug?: string | undefined;
  },
): string {
  if (typeof body.projectId === 'string') return body.projectId;
  if (typeof body.workspaceId === 'string' && body.workspaceId !== '') return body.workspaceId;
  if (typeof body.projectSlug === 'string' && body.projectSlug !== '')
    return s.projects.bySlug(body.projectSlug).id;
  throw badRequest('Must provide either project slug or projectId');
}

/** Registers list/get/create/update/delete and the batch routes of one secrets API family. */
export function registerSecretRoutes(router: Router, services: GetServices, family: Family): void {
  const base = family === 'v3' ? '/api/v3/secrets/raw' : '/api/v4/secrets';
  const batch = family === 'v3' ? '/api/v3/secrets/batch/raw' : '/api/v4/secrets/batch';
  const cache = new WeakMap<Behaviours, Schemas>();
  /** The services (which must speak this family) and their schemas. */
  const setup = (ctx: RouteContext) => {
    const s = services();
    let schemas = cache.get(s.behaviours);
    if (!schemas) {
      schemas = schemasFor(s.behaviours, family);
      cache.set(s.behaviours, schemas);
    }
    return { s, schemas, actor: actorOf(s, ctx) };
  };

  router.add('GET', base, (ctx) => {
    const { s, schemas, actor } = setup(ctx);
    const q = validate(schemas.list, ctx.query);
    let projectId = q.projectId ?? q.workspaceId;
    if (!projectId && q.workspaceSlug && !actor.identity.user)
      projectId = s.projects.bySlug(q.workspaceSlug, 'Failed to find project by slug').id;
    if (!projectId || !q.environment) throw badRequest(s.behaviours.listMissingProjectMessage);
    return {
      json: s.secrets.list(actor, {
        projectId,
        environment: q.environment,
        path: q.secretPath,
        recursive: q.recursive,
        includeImports: q.include_imports,
        expand: q.expandSecretReferences,
        viewSecretValue: q.viewSecretValue ?? true,
        tagSlugs: q.tagSlugs,
        importedSecretPath: family === 'v4',
      }),
    };
  });

  router.add('GET', `${base}/:secretName`, (ctx) => {
    const { s, schemas, actor } = setup(ctx);
    const { secretName } = validate(schemas.name, ctx.params);
    const q = validate(schemas.get, ctx.query);
    if (!q.environment) throw badRequest('Missing environment');
    let projectId = q.projectId ?? q.workspaceId;
    if (!projectId && family === 'v3') {
      if (!q.workspaceSlug) throw badRequest('You must provide workspaceSlug or workspaceId');
      projectId = s.projects.bySlug(q.workspaceSlug).id;
    }
    if (!projectId) throw badRequest('Missing projectId');
    return {
      body: s.secrets.get(actor, {
        projectId,
        environment: q.environment,
        path: q.secretPath,
        name: secretName,
        type: q.type,
        ...(q.version === undefined ? {} : { version: q.version }),
        expand: q.expandSecretReferences,
        includeImports: q.include_imports,
        viewSecretValue: q.viewSecretValue ?? true,
      }),
    };
  });

  router.add('POST', `${base}/:secretName`, (ctx) => {
    const { s, schemas, actor } = setup(ctx);
    const { secretName } = validate(schemas.name, ctx.params);
    const body = validate(schemas.create, ctx.body);
    const scope = {
      projectId: bodyProjectId(s, body),
      environment: body.environment,
      path: body.secretPath,
    };
    return {
      body: { secret: s.secrets.create(actor, scope, secretName, body.type, inputOf(body)) },
    };
  });

  router.add('PATCH', `${base}/:secretName`, (ctx) => {
    const { s, schemas, actor } = setup(ctx);
    const { secretName } = validate(schemas.name, ctx.params);
    const body = validate(schemas.update, ctx.body);
    const scope = {
      projectId: bodyProjectId(s, body),
      environment: body.environment,
      path: body.secretPath,
    };
    return {
      body: {
        secret: s.secrets.update(actor, scope, secretName, body.type, {
          ...inputOf(body),
          newSecretName: body.newSecretName,
        }),
      },
    };
  });

  router.add('DELETE', `${base}/:secretName`, (ctx) => {
    const { s, schemas, actor } = setup(ctx);
    const { secretName } = validate(schemas.name, ctx.params);
    const body = validate(schemas.remove, ctx.body);
    const scope = {
      projectId: bodyProjectId(s, body),
      environment: body.environment,
      path: body.secretPath,
    };
    return { body: { secret: s.secrets.delete(actor, scope, secretName, body.type) } };
  });

  router.add('POST', batch, (ctx) => {
    const { s, schemas, actor } = setup(ctx);
    const body = validate(schemas.batchCreate, ctx.body);
    const scope = {
      projectId: bodyProjectId(s, body),
      environment: body.environment,
      path: body.secretPath,
    };
    const items = body.secrets.map((item) => ({ key: item.secretKey, ...inputOf(item) }));
    return { body: { secrets: s.secrets.createMany(actor, scope, items) } };
  });

  router.add('PATCH', batch, (ctx) => {
    const { s, schemas, actor } = setup(ctx);
    const body = validate(schemas.batchUpdate, ctx.body);
    const scope = {
      projectId: bodyProjectId(s, body),
      environment: body.environment,
      path: body.secretPath,
    };
    const items = body.secrets.map((item) => ({
      key: item.secretKey,
      newSecretName: item.newSecretName,
      ...(item.secretPath === undefined ? {} : { path: secretPath.parse(item.secretPath) }),
      ...inputOf(item),
    }));
    return {
      body: { secrets: s.secrets.updateMany(actor, scope, body.mode ?? 'failOnNotFound', items) },
    };
  });

  router.add('DELETE', batch, (ctx) => {
    const { s, schemas, actor } = setup(ctx);
    const body = validate(schemas.batchDelete, ctx.body);
    const scope = {
      projectId: bodyProjectId(s, body),
      environment: body.environment,
      path: body.secretPath,
    };
    const items = body.secrets.map((item) => ({ key: item.secretKey, type: item.type }));
    return { body: { secrets: s.secrets.deleteMany(actor, scope, items) } };
  });
}
