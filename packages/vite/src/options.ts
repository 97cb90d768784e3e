/**
 * The options of the Vite plugin: core's options, minus what the plugin decides, plus the
 * Vite-specific ones.
 *
 * @module
 */
import type { LeakCheckOptions, SecretKey, SecretsOptions } from '@infisical/core';

/**
 * Options of {@link infisical}. Every field is optional: without any, the plugin reads
 * `INFISICAL_*` variables from the environment and the `.env` files.
 *
 * The plugin decides two of core's options itself: public keys are those starting with Vite's
 * `envPrefix` (or listed in `publicKeys`), and secrets are always written into `process.env`.
 */
export interface InfisicalViteOptions<K extends string = SecretKey>
  extends Omit<SecretsOptions<K>, 'publicPrefixes' | 'injectEnv' | 'env'> {
  /**
   * Where the `INFISICAL_*` defaults (site URL, credentials, project, environment...) are read.
   * @default `process.env`, plus the `INFISICAL_*` variables of Vite's `.env` files (`envDir`,
   * the current mode); a variable set in the shell wins over the same one in a file.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * After the client bundle is written, search every file of its output directory (`public/`
   * copies included, whatever their extension) for the private values and the Infisical
   * credentials, in every form the scanner knows, and fail the build (`LEAK_DETECTED`, naming
   * each key, file and form, never the value) when one is found. A value that Vite's own files
   * also hold is a warning. SSR output is not scanned. `false` turns the check off;
   * `{ ignore, minLength, baseline }` tunes it.
   * @default true
   */
  leakCheck?: boolean | LeakCheckOptions;
  /**
   * Where to write the generated declaration, relative to Vite's `root`: the `ImportMetaEnv`
   * type of the public keys (so `import.meta.env.VITE_X` is typed) and core's
   * `InfisicalSecretKeys` of every key (so `getSecret('KEY')` is), names only. Rewritten only
   * when the keys change; not written when Infisical was skipped or unreachable. `false` turns
   * it off.
   * @default 'src/infisical-env.generated.d.ts'
   */
  typesFile?: string | false;
}
