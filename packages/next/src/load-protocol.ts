/**
 * What `withInfisical` and its loader worker exchange. No runtime imports: the worker loads this
 * before anything that could fail.
 *
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { InfisicalErrorCode, SecretsOptions, SecretsSource } from '@infisical/core';

/** What a build-time load gives `withInfisical`. */
export interface BuildSecrets {
  /** Where the values came from. */
  source: SecretsSource;
  /** The public values (client code may see them). */
  publicValues: Record<string, string>;
  /** The private values (the leak check looks for them). */
  privateValues: Record<string, string>;
}

/** What the worker receives. */
export interface LoadRequest {
  options: SecretsOptions;
  port: MessagePort;
  /** The worker's progress: {@link STARTED}, then {@link ANSWERED} once it posted its result. */
  signal: Int32Array;
}

/** What the worker posts back. */
export type LoadResult =
  | { ok: true; secrets: BuildSecrets; warnings: string[] }
  | { ok: false; error: { code: InfisicalErrorCode; message: string; details?: unknown } };

/** Values of {@link LoadRequest.signal}. */
export const STARTED = 1;
export const ANSWERED = 2;
