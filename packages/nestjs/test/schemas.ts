import type { StandardSchemaV1 } from '@infisical/core';

/** What {@link demoSchema} outputs (a type alias: core's `SchemaKeys` reads its keys). */
export type DemoConfig = {
  API_TOKEN: string;
  DB_PORT: number;
};

/**
 * A hand-written Standard Schema (what zod, valibot and arktype implement): `DB_PORT` becomes a
 * number, and `API_TOKEN` must start with `tokenPrefix`. Its issue message quotes the value, as
 * some validators do, so the tests can check that it never reaches an error.
 */
export function demoSchema(tokenPrefix = 'demo-'): StandardSchemaV1<unknown, DemoConfig> {
  return {
    '~standard': {
      version: 1,
      vendor: 'nestjs-tests',
      validate(input) {
        const values = input as Record<string, string | undefined>;
        const token = values.API_TOKEN ?? '';
        const port = Number(values.DB_PORT);
        const issues: StandardSchemaV1.Issue[] = [];
        if (!token.startsWith(tokenPrefix))
          issues.push({ message: `expected ${tokenPrefix}…, got "${token}"`, path: ['API_TOKEN'] });
        if (!Number.isInteger(port)) issues.push({ message: 'not a port', path: ['DB_PORT'] });
        return issues.length > 0 ? { issues } : { value: { API_TOKEN: token, DB_PORT: port } };
      },
    },
  };
}

/** What {@link portSchema} outputs. */
export type PortConfig = { API_TOKEN: string; NEST_TEST_PORT: number };

/** `API_TOKEN` (from Infisical) and `NEST_TEST_PORT`, a number (from the environment). */
export const portSchema: StandardSchemaV1<unknown, PortConfig> = {
  '~standard': {
    version: 1,
    vendor: 'nestjs-tests',
    validate(input) {
      const values = input as Record<string, string | undefined>;
      const port = Number(values.NEST_TEST_PORT);
      if (!values.API_TOKEN || !Number.isInteger(port)) {
        return {
          issues: [
            { message: 'missing', path: [values.API_TOKEN ? 'NEST_TEST_PORT' : 'API_TOKEN'] },
          ],
        };
      }
      return { value: { API_TOKEN: values.API_TOKEN, NEST_TEST_PORT: port } };
    },
  },
};
