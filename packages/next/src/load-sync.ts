/**
 * Loading secrets synchronously: core's loader runs in a worker thread that shares this
 * process's environment while this thread waits, so `process.env` holds the secrets by the time
 * `withInfisical` returns, whatever shape the Next config has.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, SHARE_ENV, Worker } from 'node:worker_threads';
import { InfisicalError, type SecretsOptions } from '@infisical/core';
import { type BuildSecrets, type LoadRequest, type LoadResult, STARTED } from './load-protocol.js';

/** Longest wait for the worker to start running. */
const START_LIMIT_MS = 30_000;
/** Longest wait for its answer: above core's worst case of timeouts, retries and `Retry-After`. */
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

  const workerFile = fileURLToPath(new URL('./load-worker.js', import.meta.url));
  if (!existsSync(workerFile)) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      `@infisical/next is incomplete: ${workerFile} is missing. Fix: reinstall @infisical/next (or build it in its repository).`,
    );
  }
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const request: LoadRequest = { options, typesFile, port: port2, signal };
  const worker = new Worker(workerFile, {
    workerData: request,
    transferList: [port2],
    env: SHARE_ENV,
    // The parent's flags (`-e`, `--input-type`, loaders) are not meant for this worker.
    execArgv: [],
  });
  worker.unref();
  try {
    Atomics.wait(signal, 0, 0, START_LIMIT_MS);
    if (Atomics.load(signal, 0) === 0) {
      throw new InfisicalError(
        'CONFIG_INVALID',
        `The secrets loader (${workerFile}) did not start within ${START_LIMIT_MS / 1000} s. Fix: check that Node.js can run worker threads here.`,
      );
    }
    if (Atomics.wait(signal, 0, STARTED, ANSWER_LIMIT_MS) === 'timed-out') {
      throw new InfisicalError(
        'TIMEOUT',
        `Loading secrets from Infisical did not finish within ${ANSWER_LIMIT_MS / 1000} s. Fix: check siteUrl and the network, or build with INFISICAL_SKIP=true.`,
      );
    }
    const result = receiveMessageOnPort(port1)?.message as LoadResult | undefined;
    if (!result)
      throw new InfisicalError('INTERNAL_ERROR', 'The loader stopped without an answer.');
    // Code, status, request id, method, path, details and cause, as the worker saw them.
    if (!result.ok) throw InfisicalError.from(result.error);
    for (const warning of result.warnings) console.warn(`⚠ Infisical: ${warning}`);
    loads.set(key, result.secrets);
    return result.secrets;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
