/**
 * `@infisical/next/runtime`: secrets at server run time, over one core handle per JavaScript
 * realm (kept on `globalThis`, so the copies of this module that Next bundles share it).
 * `register()` (from `instrumentation.ts`) loads when the Node server starts, which also covers
 * `output: 'standalone'`, where `next.config` is not evaluated; `getSecret` / `getSecrets` read
 * through core's cache, so rotations show without a rebuild or a restart.
 *
 * @module @infisical/next/runtime
 */
import {
  checkReceiverOptions,
  createSecrets,
  createWebhookReceiver,
  InfisicalError,
  type SecretKey,
  type Secrets,
  type SecretsChangeEvent,
  type SecretsOptions,
  type SecretValues,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from '@infisical/core';
import { NEXT_PUBLIC_PREFIXES } from './options.js';
import type { LeakGuardMode } from './response-guard.js';

export type { InfisicalSecretKeys, SecretsChangeEvent, SecretValues } from '@infisical/core';
export { InfisicalError, type InfisicalErrorCode, isInfisicalError } from '@infisical/core';
export type { LeakGuardMode } from './response-guard.js';

/**
 * Options of {@link register}: core's options (documented there). Keys starting with
 * `NEXT_PUBLIC_`, and `publicKeys`, are public.
 */
export type InfisicalRuntimeOptions<K extends string = SecretKey> = Omit<
  SecretsOptions<K>,
  'publicPrefixes'
>;

/** Options of {@link register}: core's, plus the runtime leak guard. */
export interface RegisterOptions<K extends string = SecretKey> extends InfisicalRuntimeOptions<K> {
  /**
   * Searches the HTML and RSC responses of this Node.js server, as they are written, for every
   * private value and Infisical credential: `'report'` warns once per key and path (key, form and
   * path, never the value), `'block'` also stops the response (a 500 before its headers, else
   * the connection is cut). For dynamic pages, which the build's leak check cannot see.
   * @default false (env `INFISICAL_LEAK_GUARD=report|block|off`)
   */
  leakGuard?: LeakGuardMode | false;
}

const STATE = Symbol.for('@infisical/next.runtime');
type Realm = typeof globalThis & { [STATE]?: Secrets<string> };

/** Whether this code runs in Next's Edge runtime (Next sets `NEXT_RUNTIME`). */
function isEdgeRuntime(): boolean {
  return typeof process !== 'undefined' && process.env.NEXT_RUNTIME === 'edge';
}

/** The realm's handle, created (without I/O) with `options` when there is none yet. */
function secrets(options: InfisicalRuntimeOptions<string> = {}): Secrets<string> {
  const realm = globalThis as Realm;
  realm[STATE] ??= createSecrets({
    ...options,
    publicPrefixes: NEXT_PUBLIC_PREFIXES,
  } as SecretsOptions);
  return realm[STATE];
}

/**
 * Loads the secrets when the Node.js server starts; call it from `register()` in
 * `instrumentation.ts`. It writes them into `process.env` (`injectEnv`, default `true`), checks
 * `required` and `schema`, and keeps them for {@link getSecret}. The first call's options make
 * the realm's handle; a later call waits for that same load. On the Edge runtime it does
 * nothing: Edge code loads on first access instead.
 *
 * @throws InfisicalError the load's error (`AUTH_FAILED`, `MISSING_SECRETS`, `SCHEMA_INVALID`, ...).
 */
export async function register(options: RegisterOptions = {}): Promise<void> {
  if (isEdgeRuntime()) return;
  const { leakGuard, ...core } = options as RegisterOptions<string>;
  checkGuardName(core);
  // Written so that Next's compiler drops these imports (node:fs, node:http) from Edge bundles:
  // `NEXT_RUNTIME` is a build-time constant there, and a dead branch's imports are not followed.
  if (process.env.NEXT_RUNTIME !== 'edge') {
    await import('@infisical/core/node');
    guard = await import('./response-guard.js');
  }
  const mode = guard?.leakGuardMode(leakGuard);
  const handle = secrets({ injectEnv: true, ...core });
  closeOnExit();
  await handle.ready();
  if (mode !== undefined) guard?.startLeakGuard(handle, mode);
}

/** The response guard's module, once `register()` loaded it (Node.js runtime only). */
let guard: typeof import('./response-guard.js') | undefined;

const EXIT_HOOK = Symbol.for('@infisical/next.runtime.exit-hook');

/**
 * On SIGTERM and SIGINT, closes the realm's handle, which revokes the access token it obtained
 * by login. Next's own handler exits once its server has closed, so the revoke (one request, at
 * most 2 s) finishes only when it is quicker than that: best effort, never a delay of the exit.
 */
function closeOnExit(): void {
  const realm = globalThis as typeof globalThis & { [EXIT_HOOK]?: true };
  if (realm[EXIT_HOOK] || typeof process.once !== 'function') return;
  realm[EXIT_HOOK] = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // Alone (NEXT_MANUAL_SIG_HANDLE without a handler of the app's), the signal still ends
      // the process: raised again once the handle is closed.
      const alone = process.listenerCount(signal) === 0;
      void closeSecrets().finally(() => {
        if (alone) process.kill(process.pid, signal);
      });
    });
  }
}

/**
 * A misspelt `leakGuard` is refused here, naming it (core, which checks the other names, does
 * not know it).
 *
 * @throws InfisicalError `CONFIG_INVALID`
 */
function checkGuardName(options: object): void {
  const name = Object.keys(options).find((key) => /^leak/i.test(key) || /guard/i.test(key));
  if (name === undefined) return;
  throw new InfisicalError(
    'CONFIG_INVALID',
    `Unknown option "${name}" in register() options. Fix: did you mean "leakGuard"?`,
    { details: { option: name, where: 'register() options' } },
  );
}

/**
 * Every secret's current value, read through core's cache: a stale folder is served at once and
 * refetched in the background, the last good values are kept when Infisical is unreachable.
 * Without {@link register} (or on the Edge runtime) the first call loads with the options from
 * the environment (`INFISICAL_*`).
 */
export async function getSecrets(): Promise<SecretValues<SecretKey>> {
  return (await secrets().read()) as SecretValues<SecretKey>;
}

/**
 * The current value of one secret (see {@link getSecrets}). Keys are typed when declared
 * (`InfisicalSecretKeys`, which `withInfisical`'s `typesFile` writes), or by a type argument.
 *
 * @throws InfisicalError `MISSING_SECRETS` (`details.missing`) when the key is absent or empty.
 */
export async function getSecret<K extends string = SecretKey>(key: NoInfer<K>): Promise<string> {
  const current = secrets();
  await current.read();
  return current.getOrThrow(key);
}

/** Refetches now and resolves once the new values are served (a failure keeps the last ones). */
export function refreshSecrets(): Promise<void> {
  return secrets().refresh();
}

/** Calls `listener` after the secrets changed (key names only); returns an unsubscribe. */
export function onSecretsChange(listener: (change: SecretsChangeEvent) => void): () => void {
  return secrets().subscribe(listener);
}

/**
 * The realm's core handle (created on first use, loading on `ready()` or the first read), for
 * what the functions here do not cover: `source`, `publicValues`, `privateValues`, `state`.
 */
export function getSecretsHandle(): Secrets<SecretKey> {
  return secrets() as Secrets<SecretKey>;
}

/** Closes the realm's handle (its timer and client); the next access creates a new one. */
export async function closeSecrets(): Promise<void> {
  const realm = globalThis as Realm;
  const current = realm[STATE];
  delete realm[STATE];
  guard?.stopLeakGuard();
  await current?.close();
}

/**
 * A route handler receiving Infisical's signed webhooks, for `app/<route>/route.ts`:
 * `export const POST = infisicalWebhook({ secret: process.env.INFISICAL_WEBHOOK_SECRET! })`.
 * Each delivery is verified by core (HMAC-SHA256 over the exact body, replay window, replayed
 * signatures refused) and refreshes the realm's secrets; a refused one gets a 401.
 *
 * @throws InfisicalError `CONFIG_INVALID` for a missing secret or an unknown option.
 */
export function infisicalWebhook(
  options: WebhookReceiverOptions,
): (request: Request) => Promise<Response> {
  // Checked now; the receiver is made on the first delivery, after register() made the handle.
  checkReceiverOptions(options);
  let receiver: { handle: Secrets<string>; receiver: WebhookReceiver } | undefined;
  return (request) => {
    const handle = secrets();
    if (receiver?.handle !== handle) {
      receiver = { handle, receiver: createWebhookReceiver(handle, options) };
    }
    return receiver.receiver.handleRequest(request);
  };
}
