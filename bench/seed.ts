/**
 * The seed most benchmarks start the emulator with: one project `bench` (id given), one `dev`
 * environment whose root folder holds the given secrets, and one identity `bench` with Universal
 * Auth and admin access. Values are fake.
 *
 * @module bench/seed
 */
import type { SeedInput } from '@infisical/emulator';

/** Universal Auth credentials of the bench identity. */
export interface BenchCredentials {
  clientId: string;
  clientSecret: string;
}

/** `count` secrets named `${prefix}${i}` with the value `value(i)`. */
export function benchSecrets(
  count: number,
  prefix: string,
  value: (i: number) => string,
): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, value(i)]));
}

/** The one-project, one-folder, one-identity seed, with `secrets` at `dev:/`. */
export function benchSeed(
  projectId: string,
  secrets: Record<string, string>,
  credentials: BenchCredentials,
): SeedInput {
  return {
    projects: [
      { slug: 'bench', id: projectId, environments: [{ slug: 'dev', secrets: { '/': secrets } }] },
    ],
    identities: [{ name: 'bench', universalAuth: credentials, projects: { bench: 'admin' } }],
  };
}
