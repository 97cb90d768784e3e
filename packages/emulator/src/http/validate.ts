/**
 * Request validation with zod, as the server's `fastify-type-provider-zod` does it: the first
 * schema that fails (params, then body, then query) answers `ValidationFailure` with zod's issues.
 * Also the field schemas several routes share.
 *
 * @module http/validate
 */
import { z } from 'zod';
import { removeTrailingSlash } from '../state/paths.js';
import { ValidationError } from './api-error.js';

/** Parses input with a zod schema; failure throws `ValidationError` with zod's issues. */
export function validate<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new ValidationError(result.error.issues);
  return result.data;
}

/** A query-string boolean: only the literal strings `"true"` and `"false"` are accepted. */
export const booleanString = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((value) => value === 'true');

/** `secretPath` / `path`: trimmed, default `/`, one trailing slash removed, nothing else (no leading `/` added). */
export const secretPath = z.string().trim().default('/').transform(removeTrailingSlash);

/** A secret value: trimmed, but a trailing newline is kept. */
export const secretValue = z
  .string()
  .transform((value) => (value.at(-1) === '\n' ? `${value.trim()}\n` : value.trim()));

/** `shared` (default) or `personal`. */
export const secretType = z.enum(['shared', 'personal']).default('shared');

/** `secretMetadata` entries. */
export const secretMetadata = z
  .array(
    z.object({
      key: z.string().trim().min(1),
      value: z.string().default(''),
      isEncrypted: z.boolean().default(false),
    }),
  )
  .optional();

/** A secret name as a route reads it: trimmed; newer servers also refuse empty names, `:` and `/`. */
export function secretNameSchema(
  rejectColonSlash: boolean,
): z.ZodType<string, z.ZodTypeDef, unknown> {
  const trimmed = z.string().trim();
  if (!rejectColonSlash) return trimmed;
  return trimmed
    .min(1)
    .refine(
      (name) => !name.includes(':') && !name.includes('/'),
      'Secret name cannot contain colon or forward slash',
    );
}

/** A slug as the server's `slugify` check accepts it: lowercase letters and digits joined by single hyphens. */
export const isSlug = (slug: string): boolean => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug);
