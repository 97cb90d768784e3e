/**
 * Checks a snapshot of secrets before an application uses it: required keys, and an optional
 * Standard Schema (zod, valibot, arktype…). Errors name keys, never values.
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** Fails with `MISSING_SECRETS` naming every required key that is absent or empty. */
export function checkRequired(
  values: Readonly<Record<string, string | undefined>>,
  required: readonly string[],
): void {
  const missing = required.filter((key) => values[key] === undefined || values[key] === '');
  if (missing.length === 0) return;
  throw new InfisicalError(
    'MISSING_SECRETS',
    `Required secret${missing.length > 1 ? 's are' : ' is'} missing: ${missing.join(', ')}. Fix: add ${missing.length > 1 ? 'them' : 'it'} in Infisical (check the project, environment and path) or remove ${missing.length > 1 ? 'them' : 'it'} from required.`,
    { details: { missing } },
  );
}

/**
 * Validates values with a Standard Schema and returns its output. Issue messages are included,
 * with any secret value they quote replaced by `[redacted]`.
 *
 * @throws InfisicalError `SCHEMA_INVALID` naming each failing key.
 */
export async function validateWithSchema<Output>(
  values: Readonly<Record<string, string>>,
  schema: StandardSchemaV1<unknown, Output>,
): Promise<Output> {
  const standard = schema?.['~standard'];
  if (standard?.version !== 1 || typeof standard.validate !== 'function') {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'schema is not a Standard Schema (v1). Fix: pass a zod, valibot or arktype schema.',
    );
  }
  const result = await standard.validate({ ...values });
  if (!result.issues) return result.value;
  const secrets = Object.values(values).filter((value) => value.length >= 3);
  const issues = result.issues.map((issue) => ({
    key: issueKey(issue) ?? '(root)',
    message: redact(issue.message, secrets),
  }));
  throw new InfisicalError(
    'SCHEMA_INVALID',
    `Secrets do not match the schema: ${issues.map((i) => `${i.key}: ${i.message}`).join('; ')}. Fix: correct these values in Infisical or the schema.`,
    { details: { issues } },
  );
}

function issueKey(issue: StandardSchemaV1.Issue): string | undefined {
  if (!issue.path?.length) return undefined;
  return issue.path
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
}

/** Replaces every occurrence of a secret value in text, longest first. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret) out = out.split(secret).join('[redacted]');
  }
  return out;
}
