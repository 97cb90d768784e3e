/**
 * How a thread that must not return before an async task is done (Next evaluating
 * `next.config`, the process exiting) runs that task in a worker thread: the worker posts one
 * answer on a message port and wakes the waiting thread through a shared signal. No runtime
 * imports: a worker loads this before anything that could fail.
 *
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { InfisicalErrorJSON } from '@infisical/core';

/** What a worker receives: its task's data, the port to answer on, and the signal. */
export interface WorkerEnvelope<T> {
  data: T;
  port: MessagePort;
  /** The worker's progress: {@link STARTED}, then {@link ANSWERED} once it posted its answer. */
  signal: Int32Array;
}

/** What a worker answers: its task's result, or the error whole (`toJSON`, restored by `InfisicalError.from`). */
export type WorkerAnswer<R> = { ok: true; result: R } | { ok: false; error: InfisicalErrorJSON };

/** Values of {@link WorkerEnvelope.signal}. */
export const STARTED = 1;
export const ANSWERED = 2;

/**
 * The error of a worker that stopped or failed outside its task, in the JSON form
 * `InfisicalError.from` restores (the fields it does not have stay undefined).
 */
export function workerError(message: string): InfisicalErrorJSON {
  const fixed = `${message} Fix: run next again; if it keeps failing, report it.`;
  return { name: 'InfisicalError', code: 'INTERNAL_ERROR', message: fixed } as InfisicalErrorJSON;
}

/**
 * The worker's side: says it started, runs `task` and posts its answer once, then wakes the
 * waiting thread — also when the worker stops before answering, so that thread never hangs.
 */
export function answerOnce<T, R>(
  envelope: WorkerEnvelope<T>,
  task: (data: T) => Promise<WorkerAnswer<R>>,
): void {
  const { data, port, signal } = envelope;
  const reply = (answer: WorkerAnswer<R>): void => {
    if (Atomics.load(signal, 0) === ANSWERED) return;
    port.postMessage(answer);
    Atomics.store(signal, 0, ANSWERED);
    Atomics.notify(signal, 0);
  };
  Atomics.store(signal, 0, STARTED);
  Atomics.notify(signal, 0);
  process.once('exit', () =>
    reply({ ok: false, error: workerError('The worker stopped unexpectedly.') }),
  );
  void task(data).then(reply, (error: unknown) =>
    reply({
      ok: false,
      error: workerError(
        `The worker could not run (${error instanceof Error ? error.name : typeof error}).`,
      ),
    }),
  );
}
