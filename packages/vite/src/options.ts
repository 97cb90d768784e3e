/**
 * The options of the Vite plugin: the core loader's shared options, minus what the plugin
 * decides, plus the Vite-specific ones.
 *
 * @module
 */
import type { SecretsOptions } from '@infisical/core';

/**
 * Options of {@link infisical}. Every field is optional: without any, the plugin reads
 * `INFISICAL_*` variables from the environment and the `.env` files.
 *
 * The plugin decides three of the core options itself: public keys are those starting with
 * Vite's `envPrefix` (or listed in `publicKeys`), secrets are always written into `process.env`,
 * and background refresh runs only on the dev server (`refreshInterval` below).
 */
export interface InfisicalViteOptions
  extends Omit<SecretsOptions, 'publicPrefixes' | 'injectEnv' | 'refreshInterval' | 'env'> {
  /**
   * Where the `INFISICAL_*` defaults (site URL, credentials, project, environment...) are read.
   * @default `process.env`, plus the `INFISICAL_*` variables of Vite's `.env` files (`envDir`,
   * the current mode); a variable set in the shell wins over the same one in a file.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Seconds between refetches while the dev server runs. A change to a public value reloads the
   * browser; server-only values are read live by SSR code. `0` turns it off. Builds load once.
   * @default 10 (as `infisical run --watch`)
   */
  refreshInterval?: number;
  /**
   * After the client bundle is written, search every file of its output directory for the
   * private values and fail the build (`LEAK_DETECTED`, naming each key and file, never the
   * value) when one is found. `false` turns the check off.
   * @default true
   */
  leakCheck?: boolean;
  /**
   * Where to write the `ImportMetaEnv` declaration of the public keys (names only, no values),
   * relative to Vite's `root`, so `import.meta.env.VITE_X` is typed. Rewritten only when the
   * public keys change; not written when Infisical was skipped or unreachable. `false` turns it off.
   * @default 'src/infisical-env.generated.d.ts'
   */
  typesFile?: string | false;
}
