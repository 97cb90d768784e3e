/**
 * Loading secrets synchronously: core's loader runs in a worker thread that shares this
 * process's environment while this thread waits, so `process.env` holds the secrets by the time
 * `withInfisical` returns, whatever shape the Next config has.
 *
 * @module
 */
import type { SecretsOptions } from '@infisical/core';
import type { BuildSecrets, LoadRequest, LoadResult } from './load-protocol.js';
import { runWorkerSync } from './sync-worker.js';

/** Longest wait for the answer: above core's worst case of timeouts, retries and `Retry-After`. */
const ANSWER_LIMIT_MS = 300_000;

/** Loads already done in this process, by options (Next evaluates its config more than once). */
const loads = new Map<string, BuildSecrets>();

/**
 * Runs core's `loadSecrets(options)` in a worker thread and waits for it.
 *
 * @throws InfisicalError the loader's error, restored whole in this thread.
 */
export function loadSecretsSync(
  options: SecretsOptions,
  typesFile: string | undefined,
): BuildSecrets {
  const key = JSON.stringify([options, typesFile]);
  const done = loads.get(key);
  if (done) return done;
  const { secrets, warnings } = runWorkerSync<LoadRequest, LoadResult>(
    { options, typesFile },
    {
      file: 'load-worker.js',
      what: 'Loading secrets from Infisical',
      answerLimitMs: ANSWER_LIMIT_MS,
      timeoutFix: 'check siteUrl and the network, or build with INFISICAL_SKIP=true.',
    },
  );
  for (const warning of warnings) console.warn(`⚠ Infisical: ${warning}`);
  loads.set(key, secrets);
  return secrets;
}
