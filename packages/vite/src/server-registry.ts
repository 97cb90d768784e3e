/**
 * The hand-off between the plugin and `@infisical/vite/server`: the plugin publishes its live
 * secrets on a global symbol, so SSR code running in the Vite process reads the current values
 * whichever copy of this package it loaded.
 *
 * @module
 */

/** Something holding the current key → value of the loaded secrets. */
export interface ServerSecretsSource {
  readonly values: Readonly<Record<string, string>>;
}

const REGISTRY = Symbol.for('@infisical/vite.server-secrets');
type Registry = Record<symbol, ServerSecretsSource | undefined>;

/** Makes `source` what `@infisical/vite/server` reads; returns the function that withdraws it. */
export function publishServerSecrets(source: ServerSecretsSource): () => void {
  const registry = globalThis as Registry;
  registry[REGISTRY] = source;
  return () => {
    if (registry[REGISTRY] === source) delete registry[REGISTRY];
  };
}

/** The published secrets, when a plugin in this process published some. */
export function publishedServerSecrets(): ServerSecretsSource | undefined {
  return (globalThis as Registry)[REGISTRY];
}
