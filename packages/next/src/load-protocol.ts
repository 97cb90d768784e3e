/**
 * What `withInfisical` and its loader worker exchange. No runtime imports: the worker loads this
 * before anything that could fail.
 *
 * @module
 */
import type { LeakCheckValues, SecretsOptions, SecretsSource } from '@infisical/core';

/**
 * What a build-time load gives `withInfisical`: where the values came from, the values by
 * exposure, and the Infisical credentials the loader knew (the leak check looks for them too).
 * Held in this process only; never printed.
 */
export type BuildSecrets = { source: SecretsSource } & LeakCheckValues;

/** What the loader worker receives. */
export interface LoadRequest {
  options: SecretsOptions;
  /** Where to write the key declaration after a load from Infisical (`typesFile`). */
  typesFile: string | undefined;
}

/** What the loader worker answers. */
export interface LoadResult {
  secrets: BuildSecrets;
  /** Failures that did not fail the load (`fallbackToEnv`, `typesFile`), as messages. */
  warnings: string[];
}
