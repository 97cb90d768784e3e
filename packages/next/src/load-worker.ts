/**
 * The worker thread of `withInfisical`: runs core's `loadSecrets` (which injects into the process
 * environment it shares with the waiting thread), writes `typesFile`, posts back the values by
 * exposure, then wakes the waiting thread. Errors travel whole, as `InfisicalError.toJSON()`.
 *
 * @module
 */
import { workerData } from 'node:worker_threads';
import {
  ANSWERED,
  type LoadRequest,
  type LoadResult,
  STARTED,
  workerError,
} from './load-protocol.js';

const { options, typesFile, port, signal } = workerData as LoadRequest;

/** Posts the result once, then wakes the waiting thread. */
function reply(result: LoadResult): void {
  if (Atomics.load(signal, 0) === ANSWERED) return;
  port.postMessage(result);
  Atomics.store(signal, 0, ANSWERED);
  Atomics.notify(signal, 0);
}

Atomics.store(signal, 0, STARTED);
Atomics.notify(signal, 0);
// An error outside the load (a crash) still answers, so the waiting thread never hangs.
process.once('exit', () =>
  reply({ ok: false, error: workerError('The secrets loader stopped unexpectedly.') }),
);

async function load(): Promise<LoadResult> {
  const { InfisicalError, loadSecrets } = await import('@infisical/core');
  const { writeSecretKeyTypes } = await import('@infisical/core/node');
  const warnings: string[] = [];
  const warn = (error: { message: string }): void => void warnings.push(error.message);
  try {
    const secrets = await loadSecrets({ ...options, onError: warn });
    await secrets.close();
    // Loaded, so the source is known.
    const source = secrets.source as NonNullable<typeof secrets.source>;
    if (typesFile !== undefined && source === 'infisical') {
      const keys = Object.keys(secrets.values);
      await writeSecretKeyTypes(typesFile, keys, { module: '@infisical/next' }).catch(warn);
    }
    const { publicValues, privateValues } = secrets;
    return { ok: true, secrets: { source, publicValues, privateValues }, warnings };
  } catch (error) {
    return { ok: false, error: InfisicalError.from(error, 'Loading secrets failed').toJSON() };
  }
}

void load().then(reply, (error: unknown) =>
  reply({
    ok: false,
    error: workerError(
      `The secrets loader could not start (${error instanceof Error ? error.name : typeof error}).`,
    ),
  }),
);
