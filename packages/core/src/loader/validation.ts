/**
 * Checks a snapshot of secrets before an application uses it: required keys, and an optional
 * Standard Schema (zod, valibot, arktype…). Errors name keys and the kind of issue, never a value
 * or any part of one (schema libraries quote values, escaped or cut short, in their messages, so
 * those messages are never passed on).
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/**
 * The keys that are absent or empty, as own keys only (`constructor` or `toString` are not
 * present just because every object has them).
 */
function missingKeys(
  values: Readonly<Record<string, string | undefined>>,
  keys: readonly string[],
): string[] {
  return keys.filter((key) => !Object.hasOwn(values, key) || !values[key]);
}

/**
 * The `MISSING_SECRETS` error for keys the application asked for and does not have.
 *
 * @param kind - how the keys are named, e.g. `Required secret` or `Secret`.
 */
export function missingSecretsError(
  missing: readonly string[],
  fix: string,
  kind = 'Secret',
): InfisicalError {
  const plural = missing.length > 1;
  return new InfisicalError(
    'MISSING_SECRETS',
    `${kind}${plural ? 's are' : ' is'} missing: ${missing.join(', ')}. Fix: ${fix}`,
    { details: { missing: [...missing] } },
  );
}

/** Fails with `MISSING_SECRETS` naming every required key that is absent or empty. */
export function checkRequired(
  values: Readonly<Record<string, string | undefined>>,
  required: readonly string[],
): void {
  const missing = missingKeys(values, required);
  if (missing.length === 0) return;
  const them = missing.length > 1 ? 'them' : 'it';
  throw missingSecretsError(
    missing,
    `add ${them} in Infisical (check the project, environment and path) or remove ${them} from required.`,
    'Required secret',
  );
}

/** One schema issue as reported: the key, and what kind of problem (never the value). */
export interface SchemaIssue {
  /** The failing key (`a.b` for nested paths), or `(root)`. */
  key: string;
  /** The schema library's issue code, e.g. `too_small`, `min_length`, `invalid_type`. */
  issue: string;
  /** What the schema expected, when the library says so in a few words and they hold no value. */
  expected?: string;
}

/** Checks that `schema` is a Standard Schema (v1). */
export function checkSchema(schema: unknown): asserts schema is StandardSchemaV1 {
  const standard = (schema as StandardSchemaV1 | undefined)?.['~standard'];
  if (standard?.version !== 1 || typeof standard.validate !== 'function') {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'schema is not a Standard Schema (v1). Fix: pass a zod, valibot or arktype schema.',
    );
  }
}

/**
 * Validates values with a Standard Schema and returns its output.
 *
 * @throws InfisicalError `SCHEMA_INVALID` naming each failing key and its issue code.
 */
export async function validateWithSchema<Output>(
  values: Readonly<Record<string, string>>,
  schema: StandardSchemaV1<unknown, Output>,
): Promise<Output> {
  checkSchema(schema);
  const result = await schema['~standard'].validate({ ...values });
  if (!result.issues) return result.value;
  const secrets = Object.values(values).filter((value) => value.length >= 3);
  const issues = result.issues.map((issue) => describeIssue(issue, secrets));
  const listed = issues
    .map(
      (i) => `${i.key}: ${i.issue}${i.expected === undefined ? '' : ` (expected ${i.expected})`}`,
    )
    .join('; ');
  throw new InfisicalError(
    'SCHEMA_INVALID',
    `Secrets do not match the schema: ${listed}. Fix: correct these values in Infisical or the schema.`,
    { details: { issues } },
  );
}

/**
 * The keys a schema declares: the object shape of zod (`shape`), valibot (`entries`) or arktype
 * (`props`), and every key a validation of `{}` reports missing (any library).
 */
export async function schemaKeys(schema: StandardSchemaV1): Promise<string[]> {
  checkSchema(schema);
  const keys = new Set<string>();
  const shaped = schema as {
    shape?: unknown;
    entries?: unknown;
    props?: unknown;
  };
  for (const shape of [shaped.shape, shaped.entries]) {
    if (typeof shape === 'object' && shape !== null)
      for (const key of Object.keys(shape)) keys.add(key);
  }
  if (Array.isArray(shaped.props)) {
    for (const prop of shaped.props as { key?: unknown }[]) {
      if (typeof prop?.key === 'string') keys.add(prop.key);
    }
  }
  try {
    const result = await schema['~standard'].validate({});
    for (const issue of result.issues ?? []) {
      const first = issue.path?.[0];
      const key = typeof first === 'object' && first !== null ? first.key : first;
      if (typeof key === 'string') keys.add(key);
    }
  } catch {
    // A schema that throws on `{}` declares nothing more.
  }
  return [...keys];
}

const ISSUE_CODE = /^[A-Za-z_][\w-]{0,40}$/;

function describeIssue(issue: StandardSchemaV1.Issue, secrets: readonly string[]): SchemaIssue {
  const fields = issue as unknown as { code?: unknown; type?: unknown; expected?: unknown };
  const code = [fields.code, fields.type].find(
    (value): value is string => typeof value === 'string' && ISSUE_CODE.test(value),
  );
  const expected = fields.expected;
  const safeExpected =
    typeof expected === 'string' &&
    expected.length <= 80 &&
    !secrets.some((secret) => expected.includes(secret))
      ? expected
      : undefined;
  return {
    key: issueKey(issue) ?? '(root)',
    issue: code ?? 'invalid',
    ...(safeExpected === undefined ? {} : { expected: safeExpected }),
  };
}

function issueKey(issue: StandardSchemaV1.Issue): string | undefined {
  if (!issue.path?.length) return undefined;
  return issue.path
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
}
