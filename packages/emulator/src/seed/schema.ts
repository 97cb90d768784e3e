/**
 * The seed file's schema: projects with environments, folders, secrets, personal secrets,
 * imports and tags; identities with their login methods, client secrets and project roles;
 * the cloud stand-ins; and the server version to answer as.
 *
 * @module seed/schema
 */
import { z } from 'zod';
import { SERVER_VERSIONS, type ServerVersion } from '../versions/behaviours.js';

const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'must be a lowercase slug (letters, digits, - and _)');
/** What is wrong with a secret name of the seed, if anything. */
function secretKeyProblem(key: string): string | undefined {
  if (key === '') return 'a secret name may not be empty';
  if (key.includes(':') || key.includes('/')) return 'may not contain ":" or "/"';
  if (key === '__proto__') return 'is not a usable secret name';
  return undefined;
}
const folderPath = z
  .string()
  .regex(
    /^\/(?:[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*)?$/,
    'must be a folder path such as / or /backend/db',
  );
const seconds = z.number().int().min(0).max(315360000);

const scalar = z.union([z.string(), z.number().transform(String), z.boolean().transform(String)]);

const secretObjectSchema = z
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
  .strict();

type SecretObjectInput = z.input<typeof secretObjectSchema>;
type SecretObject = z.output<typeof secretObjectSchema>;

/** A plain value with every other field at its default (the object schema's defaults). */
const plainSecret = (value: string): SecretObject => ({
  value,
  comment: '',
  tags: [],
  skipMultilineEncoding: false,
  reminderNote: null,
  reminderRepeatDays: null,
  metadata: {},
  previousValues: [],
});

/** Reports a problem of a secret entry at `path` below the current place. */
type Report = (issue: z.IssueData) => void;

/** A secret entry: a plain value, or an object with its comment, tags and earlier versions. */
function toSecret(input: unknown, report: Report): SecretObject | undefined {
  if (typeof input === 'string') return plainSecret(input);
  if (typeof input === 'number' || typeof input === 'boolean') return plainSecret(String(input));
  const parsed = secretObjectSchema.safeParse(
    input !== null && typeof input === 'object' ? input : { value: input },
  );
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) report(issue);
  return undefined;
}

/** A secret in the seed (see {@link toSecret}). */
export const seedSecretSchema = z
  .unknown()
  .transform(
    (input, ctx): SecretObject => toSecret(input, (issue) => ctx.addIssue(issue)) ?? z.NEVER,
  ) as unknown as z.ZodType<SecretObject, z.ZodTypeDef, SecretEntryInput>;

type SecretEntryInput = string | number | boolean | SecretObjectInput;

/**
 * The secrets of one folder, key → entry. One loop instead of a zod record: a 50,000-secret seed
 * is checked in a fraction of the time, with the same messages and paths.
 */
const folderSecrets = z.unknown().transform((input, ctx): Record<string, SecretObject> => {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    ctx.addIssue({ code: 'custom', message: 'must be a map of secret names to values' });
    return z.NEVER;
  }
  const out: Record<string, SecretObject> = {};
  for (const [key, value] of Object.entries(input)) {
    const keyProblem = secretKeyProblem(key);
    if (keyProblem) {
      ctx.addIssue({ code: 'custom', path: [key], message: keyProblem });
      continue;
    }
    const secret = toSecret(value, (issue) =>
      ctx.addIssue({ ...issue, path: [key, ...(issue.path ?? [])] }),
    );
    if (secret) out[key] = secret;
  }
  return out;
}) as unknown as z.ZodType<
  Record<string, SecretObject>,
  z.ZodTypeDef,
  Record<string, SecretEntryInput>
>;

const secretsByPath = z.record(folderPath, folderSecrets);

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
    tags: z.array(z.object({ slug, color: z.string().optional() }).strict()).default([]),
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

/** A further client secret of a Universal Auth identity, with its limits. */
const clientSecretSchema = z
  .object({
    clientSecret: z.string().min(1),
    description: z.string().default(''),
    /** Logins it allows; 0 for no limit. */
    numUsesLimit: z.number().int().min(0).default(0),
    /** Seconds from the emulator's start it stays valid; 0 for no limit. */
    ttl: seconds.default(0),
  })
  .strict();

const universalAuthSchema = z
  .object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    clientSecrets: z.array(clientSecretSchema).default([]),
    accessTokenTTL: seconds.default(2592000),
    accessTokenMaxTTL: seconds.default(2592000),
    accessTokenNumUsesLimit: z.number().int().min(0).default(0),
  })
  .strict()
  .refine(
    (ua) => ua.accessTokenMaxTTL === 0 || ua.accessTokenTTL <= ua.accessTokenMaxTTL,
    'accessTokenTTL may not be greater than accessTokenMaxTTL',
  );

/** Token settings every login method carries (same defaults as Universal Auth). */
const tokenPolicy = {
  accessTokenTTL: seconds.default(2592000),
  accessTokenMaxTTL: seconds.default(2592000),
  accessTokenNumUsesLimit: z.number().int().min(0).default(0),
};

const ttlWithinMax = (policy: { accessTokenTTL: number; accessTokenMaxTTL: number }): boolean =>
  policy.accessTokenMaxTTL === 0 || policy.accessTokenTTL <= policy.accessTokenMaxTTL;
const TTL_PROBLEM = 'accessTokenTTL may not be greater than accessTokenMaxTTL';

const awsAccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const nonEmptyList = z.array(z.string().trim().min(1)).default([]);

const awsAuthSchema = z
  .object({
    allowedAccountIds: z.array(awsAccountId).default([]),
    allowedPrincipalArns: z
      .array(
        z
          .string()
          .regex(
            /^arn:aws[a-z-]*:(iam|sts)::(\d{12}|\*):.+$/,
            'must be an IAM or STS ARN ("*" allowed)',
          ),
      )
      .default([]),
    ...tokenPolicy,
  })
  .strict()
  .refine(ttlWithinMax, TTL_PROBLEM);

const gcpAuthSchema = z
  .object({
    type: z.enum(['gce', 'iam']),
    allowedServiceAccounts: nonEmptyList,
    allowedProjects: nonEmptyList,
    allowedZones: nonEmptyList,
    ...tokenPolicy,
  })
  .strict()
  .refine(ttlWithinMax, TTL_PROBLEM);

const azureAuthSchema = z
  .object({
    tenantId: z.string().min(1).optional(),
    resource: z.string().min(1).default('https://management.azure.com/'),
    allowedPrincipalIds: nonEmptyList,
    ...tokenPolicy,
  })
  .strict()
  .refine(ttlWithinMax, TTL_PROBLEM);

const kubernetesAuthSchema = z
  .object({
    allowedNamespaces: nonEmptyList,
    allowedServiceAccounts: nonEmptyList,
    allowedAudience: z.string().min(1).optional(),
    ...tokenPolicy,
  })
  .strict()
  .refine(ttlWithinMax, TTL_PROBLEM);

const jwtBindingsSchema = z
  .object({
    boundIssuer: z.string().min(1).optional(),
    boundAudiences: nonEmptyList,
    boundSubject: z.string().min(1).optional(),
    boundClaims: z.record(z.string().min(1)).default({}),
    ...tokenPolicy,
  })
  .strict()
  .refine(ttlWithinMax, TTL_PROBLEM);

const k8sName = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    'must be a Kubernetes name (lowercase letters, digits, - and .)',
  );
const pemPrivateKey = z
  .string()
  .refine(
    (pem) => pem.includes('-----BEGIN PRIVATE KEY-----'),
    'must be a PKCS#8 PEM private key (BEGIN PRIVATE KEY)',
  );

const cloudSchema = z
  .object({
    aws: z
      .object({
        region: z
          .string()
          .regex(/^[a-z0-9-]{1,20}$/, 'must be an AWS region name')
          .default('us-east-1'),
        accounts: z
          .array(
            z
              .object({
                accountId: awsAccountId,
                arn: z
                  .string()
                  .regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/, 'must be an IAM or STS ARN'),
                userId: z.string().min(1).optional(),
                accessKeyId: z
                  .string()
                  .regex(
                    /^[A-Z0-9]{16,128}$/,
                    'must be an access key id (upper-case letters and digits)',
                  ),
                secretAccessKey: z.string().min(1),
                sessionToken: z.string().min(1).optional(),
                imdsRole: z
                  .string()
                  .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
                  .optional(),
                ecs: z.boolean().default(false),
              })
              .strict(),
          )
          .default([]),
        ecsAuthorizationToken: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    gcp: z
      .object({
        projectId: z.string().min(1).default('emulator-project'),
        zone: z.string().min(1).default('us-central1-a'),
        defaultServiceAccount: z.string().email().optional(),
        serviceAccounts: z
          .array(
            z
              .object({
                email: z.string().email(),
                privateKey: pemPrivateKey.optional(),
                privateKeyId: z
                  .string()
                  .regex(/^[\w-]{1,64}$/, 'must be letters, digits, _ and -')
                  .optional(),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .optional(),
    azure: z
      .object({
        principalId: z.string().min(1),
        tenantId: z.string().min(1).optional(),
        clientId: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    kubernetes: z
      .object({
        issuer: z.string().min(1).default('https://kubernetes.default.svc.cluster.local'),
        serviceAccounts: z
          .array(
            z
              .object({ namespace: k8sName, name: k8sName, uid: z.string().min(1).optional() })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A role an identity holds in a project. */
export const roleSchema = z.enum(['admin', 'member', 'viewer', 'no-access']);

const identitySchema = z
  .object({
    name: z.string().min(1),
    id: z.string().min(1).optional(),
    user: z.boolean().default(false),
    universalAuth: universalAuthSchema.optional(),
    awsAuth: awsAuthSchema.optional(),
    gcpAuth: gcpAuthSchema.optional(),
    azureAuth: azureAuthSchema.optional(),
    kubernetesAuth: kubernetesAuthSchema.optional(),
    oidcAuth: jwtBindingsSchema.optional(),
    jwtAuth: jwtBindingsSchema.optional(),
    accessTokens: z.array(z.string().min(8)).default([]),
    projects: z.record(z.string().min(1), roleSchema).default({}),
  })
  .strict();

/** The seed file: projects with their environments, folders, secrets and imports, and identities. */
export const seedSchema = z
  .object({
    /** The server version to answer as (the option and `--server-version` win over it). */
    serverVersion: z.enum(SERVER_VERSIONS as [ServerVersion, ...ServerVersion[]]).optional(),
    projects: z.array(projectSchema).default([]),
    identities: z.array(identitySchema).default([]),
    cloud: cloudSchema.default({}),
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
/** One identity of a parsed seed. */
export type SeedIdentity = z.output<typeof identitySchema>;
/** AWS auth settings of an identity. */
export type AwsAuthConfig = z.output<typeof awsAuthSchema>;
/** GCP auth settings of an identity. */
export type GcpAuthConfig = z.output<typeof gcpAuthSchema>;
/** Azure auth settings of an identity. */
export type AzureAuthConfig = z.output<typeof azureAuthSchema>;
/** Kubernetes auth settings of an identity. */
export type KubernetesAuthConfig = z.output<typeof kubernetesAuthSchema>;
/** OIDC or JWT auth bindings of an identity. */
export type JwtAuthConfig = z.output<typeof jwtBindingsSchema>;
/** The cloud stand-ins of a parsed seed. */
export type CloudSeed = z.output<typeof cloudSchema>;
