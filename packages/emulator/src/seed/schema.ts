import { z } from 'zod';

const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'must be a lowercase slug (letters, digits, - and _)');
const secretKey = z
  .string()
  .min(1)
  .refine((key) => !key.includes(':') && !key.includes('/'), 'may not contain ":" or "/"');
const folderPath = z
  .string()
  .regex(
    /^\/(?:[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*)?$/,
    'must be a folder path such as / or /backend/db',
  );
const seconds = z.number().int().min(0).max(315360000);

const scalar = z.union([z.string(), z.number().transform(String), z.boolean().transform(String)]);

/** A secret in the seed: a plain value, or an object with its comment, tags and earlier versions. */
export const seedSecretSchema = z.preprocess(
  (input) => (input !== null && typeof input === 'object' ? input : { value: input }),
  z
    .object({
      value: scalar,
      comment: z.string().default(''),
      tags: z.array(slug).default([]),
      skipMultilineEncoding: z.boolean().default(false),
      reminderNote: z.string().nullable().default(null),
      reminderRepeatDays: z.number().int().positive().nullable().default(null),
      metadata: z.record(z.string()).default({}),
      previousValues: z.array(z.string()).default([]),
    })
    .strict(),
);

const secretsByPath = z.record(folderPath, z.record(secretKey, seedSecretSchema));

const environmentSchema = z
  .object({
    slug,
    name: z.string().min(1).optional(),
    folders: z.array(folderPath).default([]),
    secrets: secretsByPath.default({}),
    personalSecrets: z.record(z.string().min(1), secretsByPath).default({}),
    imports: z
      .record(folderPath, z.array(z.object({ environment: slug, path: folderPath }).strict()))
      .default({}),
  })
  .strict();

const projectSchema = z
  .object({
    slug,
    id: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    tags: z
      .array(z.object({ slug, name: z.string().optional(), color: z.string().optional() }).strict())
      .default([]),
    environments: z
      .array(
        z.preprocess(
          (input) => (typeof input === 'string' ? { slug: input } : input),
          environmentSchema,
        ),
      )
      .min(1),
  })
  .strict();

const universalAuthSchema = z
  .object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    accessTokenTTL: seconds.default(2592000),
    accessTokenMaxTTL: seconds.default(2592000),
    accessTokenNumUsesLimit: z.number().int().min(0).default(0),
  })
  .strict()
  .refine(
    (ua) => ua.accessTokenMaxTTL === 0 || ua.accessTokenTTL <= ua.accessTokenMaxTTL,
    'accessTokenTTL may not be greater than accessTokenMaxTTL',
  );

/** A role an identity holds in a project. */
export const roleSchema = z.enum(['admin', 'member', 'viewer', 'no-access']);

const identitySchema = z
  .object({
    name: z.string().min(1),
    id: z.string().min(1).optional(),
    user: z.boolean().default(false),
    universalAuth: universalAuthSchema.optional(),
    accessTokens: z.array(z.string().min(8)).default([]),
    projects: z.record(z.string().min(1), roleSchema).default({}),
  })
  .strict();

/** The seed file: projects with their environments, folders, secrets and imports, and identities. */
export const seedSchema = z
  .object({
    projects: z.array(projectSchema).default([]),
    identities: z.array(identitySchema).default([]),
  })
  .strict();

/** A seed as written in the file (before defaults). */
export type SeedInput = z.input<typeof seedSchema>;
/** A seed after parsing, with defaults applied. */
export type Seed = z.output<typeof seedSchema>;
/** One secret entry of a parsed seed. */
export type SeedSecret = z.output<typeof seedSecretSchema>;
/** A role an identity holds in a project. */
export type Role = z.output<typeof roleSchema>;
