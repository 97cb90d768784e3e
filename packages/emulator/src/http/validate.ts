import { z } from 'zod';
import { normalizePath } from '../state/store.js';
import { ApiError } from './api-error.js';

/** Parses input with a zod schema; failure answers 422 `ValidationFailure` with zod's issues, as the server. */
export function validate<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new ApiError(422, 'ValidationFailure', result.error.issues);
  return result.data;
}

/** A query-string boolean: only the literal strings `"true"` and `"false"` are accepted. */
export const booleanString = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((value) => value === 'true');

/** `secretPath`: trimmed, default `/`, trailing slash removed. */
export const secretPath = z
  .string()
  .trim()
  .default('/')
  .transform((path) => normalizePath(path));

/** A secret name in a path or body: trimmed, non-empty, without `:` or `/`. */
export const secretName = z
  .string()
  .trim()
  .min(1)
  .refine(
    (name) => !name.includes(':') && !name.includes('/'),
    'Secret name cannot contain colon or forward slash',
  );

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
