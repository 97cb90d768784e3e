/**
 * The loader worker of `withInfisical`: runs core's `loadSecrets` (which injects into the process
 * environment it shares with the waiting thread), writes `typesFile`, and answers with the values
 * by exposure and the credentials. Errors travel whole, as `InfisicalError.toJSON()`.
 *
 * @module
 */
import { workerData } from 'node:worker_threads';
import type { LoadRequest, LoadResult } from './load-protocol.js';
import { answerOnce, type WorkerEnvelope } from './worker-protocol.js';

answerOnce<LoadRequest, LoadResult>(
  workerData as WorkerEnvelope<LoadRequest>,
  async ({ options, typesFile }) => {
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
      const { privateValues, publicValues, credentials } = secrets.leakCheckValues();
      const result = { source, privateValues, publicValues, credentials };
      return { ok: true, result: { secrets: result, warnings } };
    } catch (error) {
      return { ok: false, error: InfisicalError.from(error, 'Loading secrets failed').toJSON() };
    }
  },
);
