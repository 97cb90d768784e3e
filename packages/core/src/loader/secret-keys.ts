/**
 * Typed secret keys: declared once, by a Standard Schema or by augmenting
 * {@link InfisicalSecretKeys} (a generated `.d.ts` can do it), so reading an unknown key is a
 * compile error in every adapter.
 *
 * @module
 */
import type { StandardSchemaV1 } from './standard-schema.js';

/**
 * The secret keys of your project, declared by module augmentation; empty by default (every
 * string is a key). A generated declaration file, or your own, adds them:
 *
 * ```ts
 * declare module '@infisical/core' {
 *   interface InfisicalSecretKeys {
 *     DATABASE_URL: true;
 *     STRIPE_KEY: true;
 *   }
 * }
 * ```
 *
 * Then `secrets.get('DATABASE_URL')` compiles and `secrets.get('DATABSE_URL')` does not. Only
 * the property names count; their types are ignored.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation.
export interface InfisicalSecretKeys {}

/** The declared keys ({@link InfisicalSecretKeys}), or `string` when none are declared. */
export type SecretKey = [keyof InfisicalSecretKeys] extends [never]
  ? string
  : Extract<keyof InfisicalSecretKeys, string>;

/** The keys of a schema's output object, or `string` when its output is not an object type. */
export type SchemaKeys<S extends StandardSchemaV1> =
  StandardSchemaV1.InferOutput<S> extends Record<string, unknown>
    ? string extends keyof StandardSchemaV1.InferOutput<S>
      ? string
      : Extract<keyof StandardSchemaV1.InferOutput<S>, string>
    : string;
