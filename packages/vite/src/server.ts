/**
 * `@infisical/vite/server`: the secrets for server code (SSR, API handlers). Importing it from
 * client code fails the build (and the dev server's transform) with a clear error.
 *
 * Inside the Vite process (dev server, SSR prerendering at build) it reads the plugin's live
 * values, so a rotated secret is seen at the next call. Elsewhere (a built SSR server run with
 * `node`) it reads `process.env`, which the server's own environment provides: secrets are never
 * written into the server bundle.
 *
 * @module @infisical/vite/server
 */
import { publishedServerSecrets } from './server-registry.js';

/** Every secret, current: the plugin's values in the Vite process, else `process.env`. */
export function serverSecrets(): Readonly<Record<string, string | undefined>> {
  return publishedServerSecrets()?.values ?? globalThis.process?.env ?? {};
}

/** The current value of one secret, or `undefined` when there is none. */
export function getSecret(key: string): string | undefined {
  return serverSecrets()[key];
}
