/**
 * `InfisicalService`: what Nest providers inject to read the secrets `InfisicalModule` loaded.
 *
 * @module
 */
import {
  InfisicalError,
  type Secrets,
  type SecretsChangeEvent,
  type SecretsSource,
} from '@infisical/core';
import type { OnApplicationShutdown } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';

/**
 * The secrets `InfisicalModule` loaded before the application finished bootstrapping. Reads are
 * synchronous and follow rotation: the module refetches in the background through core's cache
 * (`refreshInterval`, by default the cache TTL), and a failed refetch keeps the last values.
 * When the values did not come from Infisical (`skip`, or `fallbackToEnv` after a failed
 * first load) reads go to `process.env`.
 */
export class InfisicalService implements OnApplicationShutdown {
  readonly #loaded: Secrets;
  readonly #changes = new Subject<SecretsChangeEvent>();

  /** Emits after the secrets changed: key names only; the new values are already served. */
  readonly changes$: Observable<SecretsChangeEvent> = this.#changes.asObservable();

  /** @param loaded - what core's `loadSecrets` returned (`InfisicalModule` creates this service). */
  constructor(loaded: Secrets) {
    this.#loaded = loaded;
    loaded.subscribe((change) => this.#changes.next(change));
  }

  /** Where the values came from: `infisical`, `env-fallback` or `skipped`. */
  get source(): SecretsSource {
    // The module hands over a loaded handle, so the source is known.
    return this.#loaded.source as SecretsSource;
  }

  /** The current value of a secret, or undefined when there is none. */
  get(name: string): string | undefined {
    return this.#loaded.source === 'infisical' ? this.#loaded.values[name] : process.env[name];
  }

  /**
   * The current value of a secret.
   * @throws InfisicalError `MISSING_SECRETS` naming the key when there is none.
   */
  getOrThrow(name: string): string {
    const value = this.get(name);
    if (value === undefined) {
      throw new InfisicalError(
        'MISSING_SECRETS',
        `Secret ${name} is not loaded. Fix: add it in Infisical (check the project, environment and path), or list it in required to fail at boot instead.`,
        { details: { missing: [name] } },
      );
    }
    return value;
  }

  /** Every current key → value (a snapshot: rotation replaces it, never mutates it). */
  getAll(): Readonly<Record<string, string>> {
    if (this.#loaded.source === 'infisical') return this.#loaded.values;
    return Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
  }

  /** Refetches now; `changes$` emits when something changed. A failure keeps the last values. */
  refresh(): Promise<void> {
    return this.#loaded.refresh();
  }

  /** Calls `listener` after the secrets changed (as `changes$`). Returns an unsubscribe. */
  onChange(listener: (change: SecretsChangeEvent) => void): () => void {
    const subscription = this.changes$.subscribe(listener);
    return () => subscription.unsubscribe();
  }

  /** Stops the background refresh and completes `changes$` (Nest calls it on shutdown). */
  onApplicationShutdown(): void {
    this.#loaded.close();
    this.#changes.complete();
  }
}
