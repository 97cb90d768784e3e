/**
 * The secret an identity's local keys derive from (the last-known-good snapshot's): what only a
 * holder of the credentials knows. Kept beside the method object, never on it, so logging or
 * inspecting a method can never show it.
 *
 * @module
 */
import type { AuthMethod } from './auth-method.js';

/** Key material by method object (a method without an entry has none: cloud and custom methods). */
const MATERIAL = new WeakMap<AuthMethod, () => Promise<string>>();

/**
 * Records what `method`'s keys derive from: its name and credentials, unambiguously joined.
 * Returns the method.
 */
export function withKeyMaterial(
  method: AuthMethod,
  credentials: () => Promise<readonly string[]>,
): AuthMethod {
  MATERIAL.set(method, async () => JSON.stringify([method.name, ...(await credentials())]));
  return method;
}

/**
 * The key material of `method`: Universal Auth's client id and secret, an access token; undefined
 * for methods whose credentials are short-lived or unknown here (the cloud methods, a custom
 * method), which need an explicit key.
 */
export function keyMaterialOf(method: AuthMethod): (() => Promise<string>) | undefined {
  return MATERIAL.get(method);
}
