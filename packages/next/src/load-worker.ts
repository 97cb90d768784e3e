/**
 * The worker thread of `withInfisical`: runs core's loader (which injects into the process
 * environment it shares with the waiting thread), posts back the values by exposure, then wakes
 * the waiting thread. Errors travel as their code and message, which never hold a value.
 *
 * @module
 */
import { workerData } from 'node:worker_threads';
import { ANSWERED, type LoadRequest, type LoadResult, STARTED } from './load-protocol.js';

const { options, port, signal } = workerData as LoadRequest;

function setSignal(value: number): void {
  Atomics.store(signal, 0, value);
  Atomics.notify(signal, 0);
}

function reply(result: LoadResult): void {
  if (Atomics.load(signal, 0) === ANSWERED) return;
  port.postMessage(result);
  setSignal(ANSWERED);
}

setSignal(STARTED);
// An error outside the load (a crash) still answers, so the waiting thread never hangs.
process.once('exit', () =>
  reply({
    ok: false,
    error: { code: 'HTTP_ERROR', message: 'The secrets loader stopped unexpectedly.' },
  }),
);

async function load(): Promise<LoadResult> {
  const { checkRequired, isInfisicalError, loadSecrets } = await import('@infisical/core');
  const { required, ...rest } = options;
  const warnings: string[] = [];
  try {
    const loaded = await loadSecrets({
      ...rest,
      onError: (error) => warnings.push(`${error.message} (using the environment variables)`),
    });
    loaded.close();
    // A build without secrets (skip) leaves the required keys to register() at server start.
    if (required && loaded.source !== 'skipped') {
      checkRequired(loaded.source === 'infisical' ? loaded.values : process.env, required);
    }
    const { publicValues, privateValues } = loaded;
    // Loaded, so the source is known.
    const source = loaded.source as NonNullable<typeof loaded.source>;
    return { ok: true, secrets: { source, publicValues, privateValues }, warnings };
  } catch (error) {
    if (!isInfisicalError(error)) throw error;
    const { code, message, details } = error;
    return { ok: false, error: { code, message, details } };
  }
}

void load().then(reply, (error: unknown) =>
  reply({ ok: false, error: { code: 'HTTP_ERROR', message: `Loading secrets failed: ${error}` } }),
);
