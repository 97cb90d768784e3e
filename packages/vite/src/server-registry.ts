/**
 * The hand-off between the plugin and `@infisical/vite/server`: the plugin publishes its core
 * handle on a global symbol, so server code running in the Vite process reads the current values
 * whichever copy of this package it loaded.
 *
 * @module
 */
import type { Secrets } from '@infisical/core';

const REGISTRY = Symbol.for('@infisical/vite.server-secrets');
type Registry = Record<symbol, Secrets<string> | undefined>;

/** Makes `secrets` what `@infisical/vite/server` reads; returns the function that withdraws it. */
export function publishServerSecrets(secrets: Secrets<string>): () => void {
  const registry = globalThis as Registry;
  registry[REGISTRY] = secrets;
  return () => {
    if (registry[REGISTRY] === secrets) delete registry[REGISTRY];
  };
}

/** The published handle, when a plugin in this process published one. */
export function publishedServerSecrets(): Secrets<string> | undefined {
  return (globalThis as Registry)[REGISTRY];
}
