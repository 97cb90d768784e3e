/**
 * Fires many reads at the apps at once: `reads` GETs at each app's endpoint, `concurrency` at a
 * time per app over kept-alive connections, every app in parallel.
 *
 * @module dashboard/flood
 */
import { Agent, get } from 'node:http';

/**
 * What one app's share of a flood did so far.
 * @typedef {object} FloodProgress
 * @property {number} done - reads answered or failed
 * @property {number} ok - reads answered 200
 * @property {number | null} ms - the time the app's share took, once done
 */

/** Parallel reads per app. */
const CONCURRENCY = 32;
/** How long one read may take. */
const READ_TIMEOUT_MS = 10_000;

/**
 * Floods every target; resolves when every read is done.
 * @param {readonly { id: string; endpoint: string }[]} targets
 * @param {number} reads - per target
 * @param {(id: string, progress: FloodProgress) => void} onProgress - after every read
 * @returns {Promise<Record<string, FloodProgress>>}
 */
export async function flood(targets, reads, onProgress) {
  const results = await Promise.all(
    targets.map(async ({ id, endpoint }) => {
      const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      /** @type {FloodProgress} */
      const progress = { done: 0, ok: 0, ms: null };
      const started = performance.now();
      let next = 0;
      const worker = async () => {
        while (next < reads) {
          next++;
          const ok = await read(endpoint, agent);
          progress.done++;
          if (ok) progress.ok++;
          onProgress(id, progress);
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(CONCURRENCY, reads) }, worker));
      } finally {
        agent.destroy();
      }
      progress.ms = Math.round(performance.now() - started);
      onProgress(id, progress);
      return /** @type {const} */ ([id, progress]);
    }),
  );
  return Object.fromEntries(results);
}

/**
 * One GET, its body read and dropped.
 * @param {string} url
 * @param {Agent} agent
 * @returns {Promise<boolean>} whether it answered 200
 */
function read(url, agent) {
  return new Promise((resolve) => {
    const req = get(url, { agent, timeout: READ_TIMEOUT_MS }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode === 200));
      res.once('error', () => resolve(false));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}
