/**
 * Keeping one folder's last-known-good snapshot: recalling it (read, opened, checked for age)
 * when a start cannot reach Infisical, and remembering what Infisical confirmed (sealed and
 * written in order, the unchanged values at most once a minute). Failures never reach the
 * caller: a recall says why it has nothing, a failed write is reported once per failure streak.
 *
 * @module
 */
import type { Logger } from '../api/logger.js';
import { InfisicalError, isInfisicalError } from '../errors/infisical-error.js';
import type { SecretValues } from '../secrets/value-map.js';
import type { Outage } from './outage-signal.js';
import {
  type OpenedSnapshot,
  openSnapshot,
  type SnapshotScope,
  sealSnapshot,
  snapshotRejected,
} from './snapshot-codec.js';
import type { SnapshotSettings } from './snapshot-options.js';

/** What a recall found: a usable snapshot, or why there is none (`undefined`: no snapshot yet). */
export type Recalled =
  | { snapshot: OpenedSnapshot & { ageMs: number }; rejected?: undefined }
  | { snapshot?: undefined; rejected: InfisicalError | undefined };

/** The longest the unchanged values go without being rewritten (their age restarts then). */
const REWRITE_AFTER_MS = 60_000;

/** One folder's last-known-good snapshot. */
export class LastKnownGood {
  readonly #settings: SnapshotSettings;
  readonly #warn: (error: InfisicalError) => void;
  readonly #logger: Logger;
  readonly #now: () => number;
  #scope: SnapshotScope | undefined;
  #material: (() => Promise<string>) | undefined;
  /** Writes run one after another; `flush()` waits for the last. */
  #writes: Promise<void> = Promise.resolve();
  #lastWriteAt = Number.NEGATIVE_INFINITY;
  #failing = false;
  #noKeyReported = false;

  constructor(
    settings: SnapshotSettings,
    warn: (error: InfisicalError) => void,
    logger: Logger,
    now: () => number = Date.now,
  ) {
    this.#settings = settings;
    this.#warn = warn;
    this.#logger = logger;
    this.#now = now;
  }

  /** How long a start waits for Infisical before serving the snapshot, in ms. */
  get timeoutMs(): number {
    return this.#settings.timeoutMs;
  }

  /** The one notice of a start that serves the snapshot (the failure's code, never a value). */
  serving(code: Outage, ageMs: number, keys: number, cause?: InfisicalError): InfisicalError {
    const what =
      cause === undefined && code === 'TIMEOUT'
        ? `Infisical did not answer within ${this.#settings.timeoutMs} ms at start`
        : `Infisical could not serve the first load (${code})`;
    return new InfisicalError(
      code,
      `${what}: serving the last-known-good snapshot (${keys} secrets, confirmed by Infisical ${duration(ageMs)} ago) and retrying in the background; live values replace it once Infisical answers. Fix: check siteUrl, the network and Infisical's status.`,
      { cause, details: { source: 'snapshot', ageMs, keys } },
    );
  }

  /** The warning of a snapshot whose values fail `required` or the schema now. */
  invalid(cause: unknown): InfisicalError {
    const code = isInfisicalError(cause) ? cause.code : 'INTERNAL_ERROR';
    return snapshotRejected(
      'invalid',
      this.#settings.label,
      `holds values that fail the required keys or the schema (${code})`,
      cause,
    );
  }

  /**
   * Binds the snapshot to its folder and to the identity's key material (known once the client
   * exists); `snapshot.key`, when given, replaces the material.
   */
  bind(scope: SnapshotScope, material: (() => Promise<string>) | undefined): void {
    this.#scope = scope;
    const key = this.#settings.key;
    this.#material = key === undefined ? material : async () => key;
  }

  /** Reads and opens the snapshot; never throws. */
  async recall(): Promise<Recalled> {
    const { store, label, maxAgeMs } = this.#settings;
    const material = this.#material;
    const scope = this.#scope;
    if (material === undefined || scope === undefined) return { rejected: this.#noKey() };
    let text: string | undefined;
    try {
      text = await store.read();
    } catch (error) {
      return { rejected: this.#unreadable(error) };
    }
    if (text === undefined) {
      this.#logger.debug('No last-known-good snapshot yet', {});
      return { rejected: undefined };
    }
    try {
      const opened = await openSnapshot(text, await material(), scope, label);
      const ageMs = Math.max(0, this.#now() - opened.savedAt);
      if (ageMs > maxAgeMs) {
        const age = `${Math.round(ageMs / 1000)} s`;
        const limit = `${maxAgeMs / 1000} s`;
        return {
          rejected: snapshotRejected(
            'expired',
            label,
            `is ${age} old, older than snapshot.maxAge (${limit})`,
          ),
        };
      }
      return { snapshot: { ...opened, ageMs } };
    } catch (error) {
      return { rejected: InfisicalError.from(error, `${label} could not be opened`) };
    }
  }

  /**
   * Remembers `values` as confirmed by Infisical now: written at once when they `changed` (or
   * were never written), else at most once a minute. Returns at once; see {@link flush}.
   */
  remember(values: SecretValues, changed: boolean): void {
    const now = this.#now();
    const material = this.#material;
    const scope = this.#scope;
    if (material === undefined || scope === undefined) {
      const error = this.#noKey();
      if (error !== undefined) this.#warn(error);
      return;
    }
    if (
      !changed &&
      now - this.#lastWriteAt < Math.min(REWRITE_AFTER_MS, this.#settings.maxAgeMs / 2)
    )
      return;
    this.#lastWriteAt = now;
    this.#writes = this.#writes.then(() => this.#write(values, now, material, scope));
  }

  /** Waits for the writes started so far. */
  flush(): Promise<void> {
    return this.#writes;
  }

  async #write(
    values: SecretValues,
    savedAt: number,
    material: () => Promise<string>,
    scope: SnapshotScope,
  ): Promise<void> {
    const { store, label } = this.#settings;
    try {
      await store.write(await sealSnapshot(values, savedAt, await material(), scope));
      this.#failing = false;
      this.#logger.debug('Last-known-good snapshot saved', { keys: Object.keys(values).length });
    } catch (cause) {
      this.#lastWriteAt = Number.NEGATIVE_INFINITY;
      if (this.#failing) return;
      this.#failing = true;
      const reason =
        isInfisicalError(cause) && cause.code === 'SNAPSHOT_WRITE_FAILED' ? cause : undefined;
      this.#warn(
        reason ??
          new InfisicalError(
            'SNAPSHOT_WRITE_FAILED',
            `${label} could not be written (${errorName(cause)}); the app goes on, and a start during an outage would find the previous snapshot (if any). Fix: check snapshot.path or snapshot.store.`,
            { cause, details: { reason: 'io' } },
          ),
      );
    }
  }

  #unreadable(cause: unknown): InfisicalError {
    if (isInfisicalError(cause) && cause.code === 'SNAPSHOT_REJECTED') return cause;
    return snapshotRejected(
      'unreadable',
      this.#settings.label,
      `could not be read (${errorName(cause)})`,
      cause,
    );
  }

  /** The no-key rejection (reported by remember() once). */
  #noKey(): InfisicalError | undefined {
    if (this.#noKeyReported) return undefined;
    this.#noKeyReported = true;
    return snapshotRejected(
      'no-key',
      this.#settings.label,
      'cannot be encrypted: this login method has no lasting secret to derive a key from (the cloud methods and custom methods)',
    );
  }
}

/** A duration for messages: seconds, minutes or hours. */
function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

/** A failure's system code (`EACCES`) or name, for messages (never its message, which may quote data). */
function errorName(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : typeof error;
}
