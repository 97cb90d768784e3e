/**
 * What `withInfisical` and its loader worker exchange. No runtime imports: the worker loads this
 * before anything that could fail.
 *
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { InfisicalErrorJSON, Secrets, SecretsOptions, SecretsSource } from '@infisical/core';

/** What a build-time load gives `withInfisical`: where the values came from, by exposure. */
export type BuildSecrets = { source: SecretsSource } & Pick<
  Secrets,
  'publicValues' | 'privateValues'
>;

/** What the worker receives. */
export interface LoadRequest {
  options: SecretsOptions;
  /** Where to write the key declaration after a load from Infisical (`typesFile`). */
  typesFile: string | undefined;
  port: MessagePort;
  /** The worker's progress: {@link STARTED}, then {@link ANSWERED} once it posted its result. */
  signal: Int32Array;
}

/** What the worker posts back: the error whole (`toJSON`), restored by `InfisicalError.from`. */
export type LoadResult =
  | { ok: true; secrets: BuildSecrets; warnings: string[] }
  | { ok: false; error: InfisicalErrorJSON };

/** Values of {@link LoadRequest.signal}. */
export const STARTED = 1;
export const ANSWERED = 2;

/**
 * The error of a worker that stopped or failed outside the load itself, in the JSON form
 * `InfisicalError.from` restores (the fields it does not have stay undefined).
 */
export function workerError(message: string): InfisicalErrorJSON {
  const fixed = `${message} Fix: run next again; if it keeps failing, report it.`;
  return { name: 'InfisicalError', code: 'INTERNAL_ERROR', message: fixed } as InfisicalErrorJSON;
}
