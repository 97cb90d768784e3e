/**
 * `InfisicalService`: what Nest providers inject to read the secrets `InfisicalModule` loaded,
 * the core handle's verbs in Nest's idiom (an RxJS stream for changes, a shutdown hook).
 *
 * @module
 */
import type {
  SecretKey,
  Secrets,
  SecretsChangeEvent,
  SecretsSource,
  SecretValues,
} from '@infisical/core';
import type { OnApplicationShutdown } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';

/**
 * The secrets `InfisicalModule` loaded before the application finished bootstrapping. Reads are
 * synchronous and follow rotation: core refetches in the background (`refreshInterval`, by
 * default every `cacheTtl`), and a failed refetch keeps the last values. With `skip` or
 * `fallbackToEnv`, the values are the declared keys found in the environment.
 *
 * Keys are typed when declared: `InfisicalService<'A' | 'B'>`, or every `InfisicalService` once
 * `InfisicalSecretKeys` is augmented (the `typesFile` option writes that declaration).
 */
export class InfisicalService<K extends string = SecretKey> implements OnApplicationShutdown {
  readonly #secrets: Secrets<K>;
  readonly #changes = new Subject<SecretsChangeEvent>();
  readonly #onShutdown: (() => void) | undefined;

  /** Emits after the secrets changed: key names only; the new values are already served. */
  readonly changes$: Observable<SecretsChangeEvent> = this.#changes.asObservable();

  /**
   * @param secrets - the loaded core handle (`InfisicalModule` creates this service).
   * @param onShutdown - called on shutdown, before the handle closes (the module's log redaction).
   */
  constructor(secrets: Secrets<K>, onShutdown?: () => void) {
    this.#secrets = secrets;
    this.#onShutdown = onShutdown;
    secrets.subscribe((change) => this.#changes.next(change));
  }

  /** Where the values came from: `infisical`, `env-fallback` or `skipped`. */
  get source(): SecretsSource {
    // The module hands over a loaded handle, so the source is known.
    return this.#secrets.source as SecretsSource;
  }

  /** The current value of a secret, or undefined when there is none. */
  get(key: K): string | undefined {
    return this.#secrets.get(key);
  }

  /**
   * The current value of a secret.
   * @throws InfisicalError `MISSING_SECRETS` (`details.missing`) when it is absent or empty.
   */
  getOrThrow(key: K): string {
    return this.#secrets.getOrThrow(key);
  }

  /** Every current key → value: a frozen map that rotation replaces, never mutates. */
  getAll(): SecretValues<K> {
    return this.#secrets.values;
  }

  /** Refetches now; `changes$` emits when something changed. A failure keeps the last values. */
  refresh(): Promise<void> {
    return this.#secrets.refresh();
  }

  /** Calls `listener` after the secrets changed (as `changes$`). Returns an unsubscribe. */
  onChange(listener: (change: SecretsChangeEvent) => void): () => void {
    const subscription = this.changes$.subscribe(listener);
    return () => subscription.unsubscribe();
  }

  /** The core handle behind this service (for core's helpers, such as the webhook receiver). */
  get handle(): Secrets<K> {
    return this.#secrets;
  }

  /** Stops following rotation and completes `changes$` (Nest calls it on shutdown). */
  async onApplicationShutdown(): Promise<void> {
    this.#changes.complete();
    this.#onShutdown?.();
    await this.#secrets.close();
  }
}
