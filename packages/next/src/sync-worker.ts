/**
 * Running a worker thread of this package to its end synchronously: this thread waits
 * (`Atomics.wait`) while the worker does async work — core's loader, the leak scan — sharing this
 * process's environment, then takes the worker's one answer from a message port.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, SHARE_ENV, Worker } from 'node:worker_threads';
import { InfisicalError } from '@infisical/core';
import { STARTED, type WorkerAnswer, type WorkerEnvelope } from './worker-protocol.js';

/** Longest wait for the worker to start running. */
const START_LIMIT_MS = 30_000;

/** What {@link runWorkerSync} needs besides the task's data. */
export interface SyncWorkerOptions {
  /** The worker file's name in `dist/`, e.g. `load-worker.js`. */
  file: string;
  /** What the worker does, for messages (`Loading secrets from Infisical`). */
  what: string;
  /** Longest wait for the answer, and the fix to print when it is exceeded. */
  answerLimitMs: number;
  timeoutFix: string;
}

/**
 * Runs the worker `options.file` with `data` and waits for its answer.
 *
 * @throws InfisicalError the worker's error, restored whole in this thread; `TIMEOUT`.
 */
export function runWorkerSync<T, R>(data: T, options: SyncWorkerOptions): R {
  const workerFile = fileURLToPath(new URL(`./${options.file}`, import.meta.url));
  if (!existsSync(workerFile)) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      `@infisical/next is incomplete: ${workerFile} is missing. Fix: reinstall @infisical/next (or build it in its repository).`,
    );
  }
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const envelope: WorkerEnvelope<T> = { data, port: port2, signal };
  const worker = new Worker(workerFile, {
    workerData: envelope,
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
        `The worker ${workerFile} did not start within ${START_LIMIT_MS / 1000} s. Fix: check that Node.js can run worker threads here.`,
      );
    }
    if (Atomics.wait(signal, 0, STARTED, options.answerLimitMs) === 'timed-out') {
      throw new InfisicalError(
        'TIMEOUT',
        `${options.what} did not finish within ${options.answerLimitMs / 1000} s. Fix: ${options.timeoutFix}`,
      );
    }
    const answer = receiveMessageOnPort(port1)?.message as WorkerAnswer<R> | undefined;
    if (!answer)
      throw new InfisicalError('INTERNAL_ERROR', `${options.what} stopped without an answer.`);
    // Code, status, request id, method, path, details and cause, as the worker saw them.
    if (!answer.ok) throw InfisicalError.from(answer.error);
    return answer.result;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
