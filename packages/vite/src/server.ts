/**
 * `@infisical/vite/server`: the secrets for server code (SSR, API handlers, server middlewares),
 * the core handle's verbs. Importing it from client code fails the build (and the dev server's
 * transform) with a clear error.
 *
 * Inside the Vite process (dev server, `vite preview`, SSR prerendering at build) it reads the
 * plugin's handle, so a rotated secret is seen at the next call. Elsewhere (a built SSR server run
 * with `node`) it reads `process.env`, which the server's own environment provides: secrets are
 * never written into the server bundle.
 *
 * @module @infisical/vite/server
 */
import type { SecretKey, Secrets, SecretsChangeEvent, SecretValues } from '@infisical/core';
import { publishedServerSecrets } from './server-registry.js';

export type { SecretsChangeEvent, SecretValues } from '@infisical/core';

/**
 * The plugin's core handle in this process (`source`, `publicValues`, `state`...), or
 * `undefined` outside the Vite process.
 */
export function getSecretsHandle(): Secrets<SecretKey> | undefined {
  return publishedServerSecrets() as Secrets<SecretKey> | undefined;
}

/** Every secret, current: the plugin's values in the Vite process, else `process.env`. */
export function getSecrets(): SecretValues<SecretKey> {
  return (publishedServerSecrets()?.values ??
    globalThis.process?.env ??
    {}) as SecretValues<SecretKey>;
}

/**
 * The current value of one secret, or `undefined` when there is none. Keys are typed once
 * declared (the plugin's `typesFile`), or by a type argument.
 */
export function getSecret<K extends string = SecretKey>(key: NoInfer<K>): string | undefined {
  const values: Readonly<Record<string, string | undefined>> = getSecrets();
  return Object.hasOwn(values, key) ? values[key] : undefined;
}

/** Refetches now and resolves once the new values are served (nothing to do outside Vite). */
export async function refreshSecrets(): Promise<void> {
  await publishedServerSecrets()?.refresh();
}

/** Calls `listener` after the secrets changed (key names only); returns an unsubscribe. */
export function onSecretsChange(listener: (change: SecretsChangeEvent) => void): () => void {
  return publishedServerSecrets()?.subscribe(listener) ?? (() => {});
}
