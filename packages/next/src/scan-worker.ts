/**
 * The worker that scans `next build`'s prerendered output when the build process exits (Next
 * offers no async hook after prerendering; the exit handler waits for this worker). Errors
 * travel whole, as `InfisicalError.toJSON()`.
 *
 * @module
 */
import { workerData } from 'node:worker_threads';
import type { OutputScanRequest, OutputScanResult } from './output-scan.js';
import { answerOnce, type WorkerEnvelope } from './worker-protocol.js';

answerOnce<OutputScanRequest, OutputScanResult>(
  workerData as WorkerEnvelope<OutputScanRequest>,
  async (request) => {
    const { InfisicalError } = await import('@infisical/core');
    try {
      const { scanOutput } = await import('./output-scan.js');
      return { ok: true, result: await scanOutput(request) };
    } catch (error) {
      return { ok: false, error: InfisicalError.from(error, 'The leak check failed').toJSON() };
    }
  },
);
