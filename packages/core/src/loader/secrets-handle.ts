/**
 * The one handle every adapter uses: `createSecrets(options)` (no I/O until asked) and
 * `loadSecrets(options)` (created and loaded). It holds the policy adapters would otherwise
 * write themselves: the environment fallback with only the declared keys, required keys and the
 * schema, env injection, exposure, rotation, a bounded retry of a failed first load, and reads
 * that never wait on a refetch when values are cached.
 *
 * @module
 */
import { cooldownDelay } from '../api/retry.js';
import { diffSnapshots, hasChanges, type SnapshotDiff } from '../cache/diff.js';
import type { FolderChange, FolderQuery, FolderRef } from '../cache/folder-cache.js';
import { folderRef } from '../cache/folder-cache.js';
import { notifyAll } from '../cache/notify.js';
import {
  type ClientInternals,
  clientInternals,
  InfisicalClient,
} from '../client/infisical-client.js';
import {
  CLIENT_OPTION_NAMES,
  type ClientSettings,
  type InfisicalClientOptions,
  resolveClientSettings,
  stringOption,
} from '../client/options.js';
import { optionNames } from '../config/option-names.js';
import { booleanOption } from '../config/option-values.js';
import { InfisicalError, withContext } from '../errors/infisical-error.js';
import { installConsoleRedaction } from '../leaks/console-redaction.js';
import { createRedactor } from '../leaks/redactor.js';
import type { LeakMatch } from '../leaks/report.js';
import { createLeakScanner, type LeakScanner } from '../leaks/scanner.js';
import { envValue, processEnv } from '../runtime/env.js';
import { snapshotValues } from '../secrets/merge.js';
import { EMPTY_VALUES, type SecretValues, valueMap } from '../secrets/value-map.js';
import { LastKnownGood } from '../snapshot/last-known-good.js';
import { isOutage, type Outage, OutageSignal } from '../snapshot/outage-signal.js';
import { resolveSnapshot, type SnapshotOptions } from '../snapshot/snapshot-options.js';
import { injectEnv } from './env-injection.js';
import { createPublicFilter, type ExposureOptions, partitionByExposure } from './exposure.js';
import { configuredCredentials, type LeakCheckValues, LeakValuesCache } from './leak-values.js';
import type { InfisicalSecretKeys, SchemaKeys, SecretKey } from './secret-keys.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import {
  checkRequired,
  checkSchema,
  missingSecretsError,
  schemaKeys,
  validateWithSchema,
} from './validation.js';

/**
 * The options of {@link createSecrets} and {@link loadSecrets}, which every adapter shares: the
 * client's (documented on {@link InfisicalClientOptions}), the folder to load, exposure, env
 * injection and checks. Unknown names are refused with the nearest valid one.
 */
export interface SecretsOptions<K extends string = string>
  extends InfisicalClientOptions,
    FolderQuery,
    ExposureOptions {
  /** Folder path to load. @default '/' (env `INFISICAL_SECRET_PATH`) */
  path?: string;
  /**
   * Use this client (its options, cache and timer) instead of creating one from the options
   * above, which are then only checked. `close()` leaves a given client open.
   */
  client?: InfisicalClient;
  /**
   * Write the secrets into `process.env`. Variables already set are kept unless `overrideEnv`;
   * variables this handle set follow rotation (updated, and deleted when the secret is).
   * Only values from Infisical are written (never in skip or fallback mode).
   * @default false
   */
  injectEnv?: boolean;
  /** With `injectEnv`, overwrite environment variables that are already set. @default false */
  overrideEnv?: boolean;
  /**
   * Keys that must exist and be non-empty, or the load fails with `MISSING_SECRETS` (and a
   * rotation that removes one is refused). Also declared keys: read from the environment in
   * skip and fallback mode.
   */
  required?: readonly K[];
  /**
   * A Standard Schema (zod, valibot, arktype) the values must satisfy, or the load fails with
   * `SCHEMA_INVALID` (naming keys and issue codes, never values); its output is `parsed`, and
   * its keys type `get()`. Its keys are declared keys.
   */
  schema?: StandardSchemaV1;
  /**
   * When the first load fails (Infisical unreachable, refused, no credentials), continue with
   * the declared keys (required, schema and public keys) read from the environment, reporting
   * the failure through `onError`; `required` and the schema are then checked against them.
   * @default false
   */
  fallbackToEnv?: boolean;
  /**
   * Do not contact Infisical at all (a build without credentials): the declared keys are read
   * from the environment.
   * @default false (env `INFISICAL_SKIP`: `true` or `false`)
   */
  skip?: boolean;
  /**
   * Replace every private value and Infisical credential (client secret, access tokens) in
   * `console.log`, `info`, `warn`, `error`, `debug` and `trace` output with `[redacted:KEY]`,
   * `Error` stacks included, from creation until `close()`; rotations and renewed tokens are
   * followed.
   * @default false
   */
  redactLogs?: boolean;
  /**
   * Keep a last-known-good snapshot, so a start during an Infisical outage serves the values
   * Infisical last confirmed (`source: 'snapshot'`, said once through `onError`) and switches to
   * live values, with change events, once Infisical answers. Encrypted under a key derived from
   * the identity's credentials; see {@link SnapshotOptions} and core's README for what it
   * protects and what it does not.
   * @default off
   */
  snapshot?: SnapshotOptions;
}

/** Every name of {@link SecretsOptions}, checked against the type at compile time. */
const SECRETS_OPTION_NAMES: readonly string[] = [
  ...CLIENT_OPTION_NAMES,
  .../* @__PURE__ */ optionNames<Omit<SecretsOptions, keyof InfisicalClientOptions>>()(
    'path',
    'client',
    'injectEnv',
    'overrideEnv',
    'required',
    'schema',
    'fallbackToEnv',
    'skip',
    'snapshot',
    'recursive',
    'includeImports',
    'expandSecretReferences',
    'tagSlugs',
    'publicPrefixes',
    'publicKeys',
    'redactLogs',
  ),
];

/**
 * Where the current values came from: Infisical, the environment (`fallbackToEnv`, `skip`), or
 * the last-known-good snapshot while Infisical is unreachable at start.
 */
export type SecretsSource = 'infisical' | 'env-fallback' | 'skipped' | 'snapshot';

/** Where a handle is: not started, first load running, loaded, or the last first-load attempt failed. */
export type SecretsState = 'idle' | 'loading' | 'ready' | 'failed';

/** A change the handle's values went through (already applied when listeners hear of it). */
export interface SecretsChangeEvent {
  /** Keys added, changed or removed (names only, sorted). */
  added: string[];
  changed: string[];
  removed: string[];
  /** Whether any of them is public (client code would see it). */
  publicChanged: boolean;
}

/** What `JSON.stringify(handle)` and `util.inspect(handle)` show: never a value. */
export interface SecretsSummary {
  state: SecretsState;
  source: SecretsSource | undefined;
  /** How many keys the handle holds. */
  size: number;
}

/**
 * The secrets of one folder, kept current. Values live in frozen null-prototype maps: any key
 * round-trips (`__proto__` included) and absent keys are absent.
 */
export interface Secrets<K extends string = SecretKey, Parsed = unknown> {
  /**
   * Loads, the first time (concurrent calls share the attempt); resolves at once once loaded.
   * After a failed attempt, a new one starts only once a jittered backoff has passed (1 s,
   * doubling per failure, at most `retry.maxCooldownMs`, at least the server's `Retry-After`);
   * before that it rejects at once with the last error, whose `retryAfterMs` says how long is
   * left.
   *
   * @throws InfisicalError the load's error (unless `fallbackToEnv`), `MISSING_SECRETS`, `SCHEMA_INVALID`.
   */
  ready(): Promise<void>;
  /** `idle`, `loading`, `ready` or `failed`. */
  readonly state: SecretsState;
  /**
   * The error of the last failed first-load attempt, until one succeeds; while the snapshot is
   * served, the last failure to reach Infisical.
   */
  readonly lastError: InfisicalError | undefined;
  /**
   * The effective values: Infisical's, or in skip and fallback mode only the declared keys
   * (required, schema and public keys) found in the environment — never all of it. Empty
   * before the first load.
   */
  readonly values: SecretValues<K>;
  /**
   * The schema's output when a schema was given, else `values` (typed by `loadSecrets` and
   * `createSecrets`; `unknown` on the plain `Secrets` type).
   * @throws InfisicalError `NOT_READY` before the first load.
   */
  readonly parsed: Parsed;
  /** The public values (prefix or allowlist): the only ones client code may see. */
  readonly publicValues: SecretValues<K>;
  /** The private values. */
  readonly privateValues: SecretValues<K>;
  /** Where the values came from; undefined before the first load. */
  readonly source: SecretsSource | undefined;
  /** The current value of `key`, or undefined. */
  get(key: K): string | undefined;
  /**
   * The current value of `key`.
   * @throws InfisicalError `MISSING_SECRETS` (`details.missing`) when absent or empty;
   * `NOT_READY` (or the load's error) before the first load.
   */
  getOrThrow(key: K): string;
  /** Whether a key is public. */
  isPublic(key: string): boolean;
  /**
   * The current values through the cache, loading first if needed: a stale folder is served
   * at once and refetched in the background (listeners hear about changes); the last good
   * values when a refetch fails.
   */
  read(): Promise<SecretValues<K>>;
  /** Refetches now and waits; listeners hear about changes. Failures go to `onError`. */
  refresh(): Promise<void>;
  /**
   * Calls `listener` after the values changed (already updated, env re-injected). A throwing
   * listener is reported through `onError`; the others still run. Returns an unsubscribe.
   */
  subscribe(listener: (change: SecretsChangeEvent) => void): () => void;
  /** The same as {@link Secrets.subscribe}. */
  onChange(listener: (change: SecretsChangeEvent) => void): () => void;
  /**
   * Private values and Infisical credentials found in `text`, in any form the leak scanner knows
   * (key, file, form and position; never the value). A value inside a public one is not a finding.
   */
  findLeaks(text: string, file?: string): LeakMatch[];
  /**
   * What a leak check or log redaction looks for: the private and public values, and the
   * Infisical credentials this handle knows (the client secret and tokens of its options and
   * environment, the access tokens its client held). The same object until one of them changes;
   * pass it to `createLeakScanner` or `createRedactor`. It shows counts only in JSON and
   * `util.inspect`; never log its fields.
   */
  leakCheckValues(): LeakCheckValues;
  /**
   * Stops following changes, drops listeners, and closes the client when the handle created it
   * (which revokes the access token it obtained by login, within 2 s; never rejects).
   */
  close(): Promise<void>;
  /** State, source and size; never a value. */
  toJSON(): SecretsSummary;
}

/** The keys of a handle: the schema's when one is given, else `K` (declared keys, or any string). */
export type KeysOf<K extends string, S> = S extends StandardSchemaV1 ? SchemaKeys<S> : K;

/** What `parsed` holds: the schema's output when one is given, else the values. */
export type ParsedOf<K extends string, S> = S extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<S>
  : SecretValues<K>;

/**
 * Creates the handle without any I/O: `ready()` (or the first `read()`) loads. Options are
 * checked now. The keys are typed by the schema's output, or by `K`
 * (`createSecrets<'A' | 'B'>()`), or by the augmented {@link InfisicalSecretKeys}.
 *
 * @throws InfisicalError `CONFIG_INVALID` for malformed options (unknown names with the nearest
 * valid one, wrong types, out-of-range durations).
 */
export function createSecrets<
  K extends string = SecretKey,
  S extends StandardSchemaV1 | undefined = undefined,
>(
  options: SecretsOptions<NoInfer<KeysOf<K, S>>> & { schema?: S } = {},
): Secrets<KeysOf<K, S>, ParsedOf<K, S>> {
  return new SecretsHandle(options) as unknown as Secrets<KeysOf<K, S>, ParsedOf<K, S>>;
}

/**
 * Creates the handle and loads it: `createSecrets(options)` and `await ready()`. A failed load
 * closes the handle it created.
 *
 * @throws InfisicalError the load's error (unless `fallbackToEnv`), `MISSING_SECRETS`, `SCHEMA_INVALID`, `CONFIG_INVALID`.
 */
export async function loadSecrets<
  K extends string = SecretKey,
  S extends StandardSchemaV1 | undefined = undefined,
>(
  options: SecretsOptions<NoInfer<KeysOf<K, S>>> & { schema?: S } = {},
): Promise<Secrets<KeysOf<K, S>, ParsedOf<K, S>>> {
  const handle = createSecrets<K, S>(options);
  try {
    await handle.ready();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** The parts a loaded snapshot consists of. */
interface Loaded {
  source: SecretsSource;
  values: SecretValues;
  parsed: unknown;
}

class SecretsHandle implements Secrets<string, unknown> {
  readonly #options: SecretsOptions;
  readonly #settings: ClientSettings;
  readonly #query: FolderQuery;
  readonly #isPublic: (key: string) => boolean;
  readonly #skip: boolean;
  readonly #listeners = new Set<(change: SecretsChangeEvent) => void>();
  /** Keys this handle wrote into process.env (they follow rotation). */
  readonly #owned = new Set<string>();
  #state: SecretsState = 'idle';
  #lastError: InfisicalError | undefined;
  #failures = 0;
  #retryAt = 0;
  #attempt: Promise<void> | undefined;
  #loaded: Loaded | undefined;
  #parts:
    | { values: SecretValues; publicValues: SecretValues; privateValues: SecretValues }
    | undefined;
  #client: InfisicalClient | undefined;
  #internals: ClientInternals | undefined;
  #ref: FolderRef | undefined;
  #unsubscribe: (() => void) | undefined;
  readonly #leakValues: LeakValuesCache;
  #scanner: { values: LeakCheckValues; scanner: LeakScanner } | undefined;
  #unredact: (() => void) | undefined;
  /** Changes are applied one after another; read() and refresh() wait for the pending ones. */
  #applying: Promise<void> = Promise.resolve();
  #closed = false;
  /** The last-known-good snapshot (the `snapshot` option), and what tells an outage early. */
  readonly #keeper: LastKnownGood | undefined;
  readonly #outage = new OutageSignal();
  /** While the snapshot is served: the last failure to reach Infisical, and the next try. */
  #onSnapshot = false;
  #liveError: InfisicalError | undefined;
  #liveFailures = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SecretsOptions) {
    this.#settings = resolveClientSettings(options, 'loadSecrets options', SECRETS_OPTION_NAMES);
    this.#options = checkLoaderOptions(options);
    this.#query = {
      ...optional('recursive', options.recursive),
      ...optional('includeImports', options.includeImports),
      ...optional('expandSecretReferences', options.expandSecretReferences),
      ...optional('tagSlugs', options.tagSlugs),
    };
    this.#isPublic = createPublicFilter(options);
    // An own property, not a class member with a computed key, so bundlers can drop the class.
    Object.defineProperty(this, Symbol.for('nodejs.util.inspect.custom'), {
      value: (): string => {
        const { state, source, size } = this.toJSON();
        return `Secrets { state: '${state}', source: ${source === undefined ? 'undefined' : `'${source}'`}, size: ${size} }`;
      },
    });
    this.#skip = booleanOption(
      this.#options.skip ?? envValue(this.#settings.env, 'INFISICAL_SKIP'),
      this.#options.skip === undefined ? 'INFISICAL_SKIP' : 'skip',
      false,
    );
    this.#leakValues = new LeakValuesCache(configuredCredentials(options.auth, this.#settings.env));
    if (this.#options.redactLogs) {
      this.#unredact = installConsoleRedaction(createRedactor(() => this.leakCheckValues()));
    }
    const snapshot = resolveSnapshot(options.snapshot, this.#settings.env);
    this.#keeper =
      snapshot === undefined || this.#skip
        ? undefined
        : new LastKnownGood(snapshot, (error) => this.#warn(error), this.#settings.logger);
  }

  get state(): SecretsState {
    return this.#state;
  }

  get lastError(): InfisicalError | undefined {
    return this.#lastError ?? this.#liveError;
  }

  get source(): SecretsSource | undefined {
    return this.#loaded?.source;
  }

  get values(): SecretValues {
    return this.#loaded?.values ?? EMPTY_VALUES;
  }

  get parsed(): unknown {
    if (this.#loaded === undefined) throw this.#notReady('parsed');
    return this.#loaded.parsed;
  }

  get publicValues(): SecretValues {
    return this.#partition().publicValues;
  }

  get privateValues(): SecretValues {
    return this.#partition().privateValues;
  }

  ready(): Promise<void> {
    if (this.#state === 'ready') return Promise.resolve();
    if (this.#attempt !== undefined) return this.#attempt;
    if (this.#closed) return Promise.reject(this.#closedError());
    const wait = this.#retryAt - Date.now();
    if (this.#lastError !== undefined && wait > 0) {
      return Promise.reject(withContext(this.#lastError, { retryAfterMs: wait }));
    }
    this.#state = 'loading';
    const attempt = this.#load().then(
      (loaded) => {
        // Live values may already have replaced a snapshot served by this load.
        this.#loaded ??= loaded;
        this.#state = 'ready';
        this.#lastError = undefined;
        this.#failures = 0;
      },
      (error: unknown) => {
        const normalized = InfisicalError.from(error, 'Loading secrets failed');
        this.#failures++;
        const delay = cooldownDelay(
          this.#failures,
          this.#settings.retry,
          normalized.retryAfterMs ?? 0,
        );
        this.#retryAt = Date.now() + delay;
        this.#lastError = withContext(normalized, { retryAfterMs: delay });
        this.#state = 'failed';
        throw this.#lastError;
      },
    );
    this.#attempt = attempt.finally(() => {
      this.#attempt = undefined;
    });
    return this.#attempt;
  }

  get(key: string): string | undefined {
    const values = this.values;
    return Object.hasOwn(values, key) ? values[key] : undefined;
  }

  getOrThrow(key: string): string {
    if (this.#loaded === undefined) throw this.#lastError ?? this.#notReady(`getOrThrow("${key}")`);
    const value = this.get(key);
    if (value) return value;
    throw missingSecretsError(
      [key],
      'add it in Infisical (check the project, environment and path), or list it in required to fail at load instead.',
    );
  }

  isPublic(key: string): boolean {
    return this.#isPublic(key);
  }

  async read(): Promise<SecretValues> {
    if (this.#state !== 'ready') await this.ready();
    // Serving the snapshot: the background retry goes to Infisical, reads do not wait on it.
    if (this.#onSnapshot) return this.values;
    const folders = this.#internals?.folders;
    const ref = this.#ref;
    if (folders !== undefined && ref !== undefined && !this.#closed && !folders.getFresh(ref)) {
      try {
        await folders.get(ref);
      } catch (error) {
        this.#report(error, 'Reading secrets failed; serving the last values');
      }
      await this.#applying;
    }
    return this.values;
  }

  async refresh(): Promise<void> {
    if (this.#internals === undefined || this.#ref === undefined || this.#closed) return;
    if (this.#onSnapshot) return this.#retryNow();
    await this.#internals.folders.refresh(this.#ref);
    await this.#applying;
  }

  subscribe(listener: (change: SecretsChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  onChange(listener: (change: SecretsChangeEvent) => void): () => void {
    return this.subscribe(listener);
  }

  findLeaks(text: string, file?: string): LeakMatch[] {
    const values = this.leakCheckValues();
    if (this.#scanner?.values !== values) {
      this.#scanner = { values, scanner: createLeakScanner(values) };
    }
    return this.#scanner.scanner.scanText(text, file).findings;
  }

  leakCheckValues(): LeakCheckValues {
    return this.#leakValues.get(this.#partition(), this.#internals?.accessToken());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unredact?.();
    clearTimeout(this.#retryTimer);
    this.#unsubscribe?.();
    this.#listeners.clear();
    await Promise.all([
      this.#options.client === undefined ? this.#client?.close() : undefined,
      this.#applying,
      this.#keeper?.flush(),
    ]);
  }

  toJSON(): SecretsSummary {
    return { state: this.#state, source: this.source, size: Object.keys(this.values).length };
  }

  async #load(): Promise<Loaded> {
    if (this.#skip) return this.#checked('skipped', await this.#declaredFromEnv());
    try {
      return await this.#loadFromInfisical();
    } catch (error) {
      if (!this.#options.fallbackToEnv) throw error;
      this.#report(error, 'Loading secrets from Infisical failed; using the environment');
      return this.#checked('env-fallback', await this.#declaredFromEnv());
    }
  }

  /**
   * The folder from Infisical. With a snapshot: when Infisical fails to serve (a refused
   * connection, a 5xx/429, no answer within `snapshot.timeout`), the snapshot if it is usable,
   * Infisical being tried on in the background; a refusal (credentials, permissions) is never
   * answered with the snapshot.
   */
  async #loadFromInfisical(): Promise<Loaded> {
    this.#connect();
    const live = this.#fetchLive();
    const keeper = this.#keeper;
    if (keeper === undefined) return this.#adopt(await live);
    const waiting = this.#outage.wait(keeper.timeoutMs);
    const first = await Promise.race([
      live.then(
        (loaded) => ({ loaded }),
        (error: unknown) => ({ error: InfisicalError.from(error, 'Loading secrets failed') }),
      ),
      waiting.outage.then((outage) => ({ outage })),
    ]);
    waiting.cancel();
    // close() aborts the requests, which looks like an outage: it is not one.
    if (this.#closed) throw this.#closedError();
    if ('loaded' in first) return this.#adopt(first.loaded);
    if ('error' in first && !isOutage(first.error.code)) throw first.error;
    const memory = await keeper.recall();
    let served: Loaded | undefined;
    try {
      served = memory.snapshot && (await this.#checked('snapshot', memory.snapshot.values));
    } catch (error) {
      this.#warn(keeper.invalid(error));
    }
    if (served === undefined || memory.snapshot === undefined) {
      if (memory.rejected !== undefined) this.#warn(memory.rejected);
      return this.#adopt(await live);
    }
    const failure = 'error' in first ? first.error : undefined;
    const outage = 'outage' in first ? first.outage : (failure?.code as Outage);
    this.#liveError = failure;
    const keys = Object.keys(served.values).length;
    this.#warn(keeper.serving(outage, memory.snapshot.ageMs, keys, failure));
    this.#loaded = served;
    this.#onSnapshot = true;
    if (this.#options.injectEnv) this.#inject(served.values, []);
    this.#follow(live);
    return served;
  }

  /** The client and the folder's ref, created on first use. */
  #connect(): ClientInternals {
    if (this.#internals !== undefined) return this.#internals;
    const clientOptions = clientOptionsOf(this.#options);
    if (this.#keeper !== undefined && this.#options.client === undefined) {
      clientOptions.fetch = this.#outage.watch(this.#settings.fetch);
    }
    const client = this.#options.client ?? new InfisicalClient(clientOptions);
    const internals = clientInternals(client);
    const { projectId, environment, path } = this.#options;
    const ref = folderRef(
      internals.scope({
        ...optional('projectId', projectId),
        ...optional('environment', environment),
        ...optional('path', path),
      }),
      this.#query,
    );
    this.#ref = ref;
    this.#client = client;
    this.#internals = internals;
    this.#keeper?.bind({ siteUrl: client.siteUrl, folder: ref.key }, internals.keyMaterial);
    return internals;
  }

  /** The folder's values from Infisical, checked (required keys, schema). */
  async #fetchLive(): Promise<Loaded> {
    const folders = this.#connect().folders;
    return this.#checked('infisical', snapshotValues(await folders.get(this.#ref as FolderRef)));
  }

  /**
   * Serves values Infisical just gave: env injection (`removed`: keys gone since what was
   * served), then following the folder (its changes, and each fetch for the snapshot).
   */
  #adopt(loaded: Loaded, removed: readonly string[] = []): Loaded {
    if (this.#options.injectEnv) this.#inject(loaded.values, removed);
    this.#keeper?.remember(loaded.values, true);
    const folders = this.#internals?.folders;
    if (this.#unsubscribe !== undefined || folders === undefined) return loaded;
    const unsubscribe = folders.subscribe((change) => {
      if (change.ref.key !== this.#ref?.key) return;
      this.#applying = this.#applying.then(() => this.#apply(change));
    });
    const keeper = this.#keeper;
    // An unchanged refetch confirms the values too: the snapshot's age restarts.
    const unfetched = keeper
      ? folders.onFetched(({ ref, snapshot }) => {
          if (ref.key !== this.#ref?.key) return;
          this.#applying = this.#applying.then(() => {
            const current = this.#loaded;
            const next = snapshotValues(snapshot);
            if (current?.source === 'infisical' && !hasChanges(diffSnapshots(current.values, next)))
              keeper.remember(current.values, false);
          });
        })
      : undefined;
    this.#unsubscribe = () => {
      unsubscribe();
      unfetched?.();
    };
    return loaded;
  }

  /** While the snapshot is served: live values replace it when `attempt` succeeds, else a retry later. */
  #follow(attempt: Promise<Loaded>): void {
    attempt.then(
      (loaded) => {
        this.#applying = this.#applying.then(() => this.#goLive(loaded));
      },
      (error: unknown) => this.#retryLater(InfisicalError.from(error, 'Loading secrets failed')),
    );
  }

  /** Schedules the next try after the handle's cooldown (at least the server's `Retry-After`). */
  #retryLater(error: InfisicalError): void {
    if (this.#closed || !this.#onSnapshot) return;
    const newKind = this.#liveError?.code !== error.code;
    this.#liveError = error;
    if (newKind && !isOutage(error.code)) {
      this.#report(error, 'Infisical refused the load while the snapshot is served');
    }
    this.#liveFailures++;
    const delayMs = cooldownDelay(
      this.#liveFailures,
      this.#settings.retry,
      error.retryAfterMs ?? 0,
    );
    this.#settings.logger.debug('Infisical still unavailable; serving the snapshot', {
      code: error.code,
      delayMs,
    });
    clearTimeout(this.#retryTimer);
    const timer = setTimeout(() => void this.#retryNow(), delayMs);
    (timer as { unref?: () => void }).unref?.();
    this.#retryTimer = timer;
  }

  /** Tries Infisical now (serving the snapshot); resolves once that try is over. */
  async #retryNow(): Promise<void> {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    if (this.#closed) return;
    const attempt = this.#fetchLive();
    this.#follow(attempt);
    await attempt.then(
      () => this.#applying,
      () => undefined,
    );
  }

  /** Live values replace the snapshot: env re-injected, listeners told what changed. */
  #goLive(live: Loaded): void {
    if (this.#closed || !this.#onSnapshot) return;
    const previous = this.#loaded?.values ?? EMPTY_VALUES;
    const diff = diffSnapshots(previous, live.values);
    this.#onSnapshot = false;
    this.#liveError = undefined;
    this.#liveFailures = 0;
    this.#loaded = live;
    this.#adopt(live, diff.removed);
    this.#settings.logger.debug('Infisical answered: live values replace the snapshot', {
      added: diff.added.length,
      changed: diff.changed.length,
      removed: diff.removed.length,
    });
    if (hasChanges(diff)) this.#notify(diff);
  }

  /** Required keys and schema checked; the schema's output (or the values) as `parsed`. */
  async #checked(source: SecretsSource, values: SecretValues): Promise<Loaded> {
    const { required, schema } = this.#options;
    if (required !== undefined) checkRequired(values, required);
    const parsed = schema === undefined ? values : await validateWithSchema(values, schema);
    return { source, values, parsed };
  }

  /** The declared keys (required, schema, public) that the environment holds. */
  async #declaredFromEnv(): Promise<SecretValues> {
    const { required = [], schema, publicKeys = [] } = this.#options;
    const declared = new Set([...required, ...publicKeys]);
    if (schema !== undefined) for (const key of await schemaKeys(schema)) declared.add(key);
    const env = this.#settings.env;
    const entries: [string, string][] = [];
    for (const key of declared) {
      const value = Object.hasOwn(env, key) ? env[key] : undefined;
      if (value !== undefined) entries.push([key, value]);
    }
    return valueMap(entries);
  }

  /** Applies a refetched folder: checked first (a bad rotation keeps the last good values). */
  async #apply(change: FolderChange): Promise<void> {
    const current = this.#loaded;
    if (this.#closed || current === undefined || current.source !== 'infisical') return;
    const next = snapshotValues(change.next);
    if (next === current.values) return;
    let loaded: Loaded;
    try {
      loaded = await this.#checked('infisical', next);
    } catch (error) {
      this.#report(error, 'Rotated secrets were refused; keeping the last good values');
      return;
    }
    // The folder's own diff holds when its previous snapshot is what we serve (a refused rotation aside).
    const diff =
      snapshotValues(change.previous) === current.values
        ? change.diff
        : diffSnapshots(current.values, next);
    this.#loaded = loaded;
    if (this.#options.injectEnv) this.#inject(next, diff.removed);
    this.#keeper?.remember(next, true);
    this.#notify(diff);
  }

  /** Tells the listeners what changed (key names only). */
  #notify(diff: SnapshotDiff): void {
    const event: SecretsChangeEvent = {
      added: diff.added,
      changed: diff.changed,
      removed: diff.removed,
      publicChanged: [...diff.added, ...diff.changed, ...diff.removed].some(this.#isPublic),
    };
    notifyAll(
      this.#listeners,
      event,
      (error, context) => this.#report(error, context),
      'A subscribe listener',
    );
  }

  #inject(values: SecretValues, removed: readonly string[]): void {
    const target = processEnv();
    for (const key of removed) {
      if (this.#owned.delete(key)) delete target[key];
    }
    const written = injectEnv(target, values, {
      override: this.#options.overrideEnv ?? false,
      owned: this.#owned,
    });
    for (const key of written) this.#owned.add(key);
  }

  #partition(): { publicValues: SecretValues; privateValues: SecretValues } {
    const values = this.values;
    if (this.#parts?.values !== values) {
      this.#parts = { values, ...partitionByExposure(values, this.#isPublic) };
    }
    return this.#parts;
  }

  /** Reports what must not go unsaid (the snapshot's notices): to `onError`, else `console.warn`. */
  #warn(error: InfisicalError): void {
    if (this.#settings.onError === undefined) console.warn(`[infisical] ${error.message}`);
    this.#report(error, error.message);
  }

  /** Reports a failure that did not fail a call; a throwing `onError` cannot break the handle. */
  #report(error: unknown, context: string): void {
    const normalized = InfisicalError.from(error, context);
    this.#settings.logger.debug(context, { code: normalized.code });
    try {
      this.#settings.onError?.(normalized);
    } catch {
      // Reported to no one: the hook itself failed.
    }
  }

  #notReady(what: string): InfisicalError {
    return new InfisicalError(
      'NOT_READY',
      `Secrets were read (${what}) before they were loaded. Fix: await secrets.ready() (or use loadSecrets()) first.`,
    );
  }

  #closedError(): InfisicalError {
    return new InfisicalError(
      'CLOSED',
      'The secrets handle was closed before it loaded. Fix: do not call ready() after close().',
    );
  }
}

const BOOLEAN_OPTIONS = [
  'injectEnv',
  'overrideEnv',
  'fallbackToEnv',
  'skip',
  'recursive',
  'includeImports',
  'expandSecretReferences',
  'redactLogs',
] as const;
const KEY_LIST_OPTIONS = ['required', 'publicKeys', 'publicPrefixes', 'tagSlugs'] as const;

/** The loader-only options, checked (key lists, schema, path, client) and booleans normalised. */
function checkLoaderOptions(options: SecretsOptions): SecretsOptions {
  const checked: SecretsOptions = { ...options };
  for (const name of BOOLEAN_OPTIONS) {
    if (options[name] !== undefined) checked[name] = booleanOption(options[name], name, false);
  }
  for (const name of KEY_LIST_OPTIONS) {
    const list: unknown = options[name];
    if (
      list !== undefined &&
      (!Array.isArray(list) || list.some((item) => typeof item !== 'string'))
    ) {
      throw new InfisicalError(
        'CONFIG_INVALID',
        `${name} must be an array of strings. Fix: pass e.g. ['DATABASE_URL'], or leave it out.`,
        { details: { option: name } },
      );
    }
  }
  if (options.schema !== undefined) checkSchema(options.schema);
  stringOption(options.path, 'path');
  if (options.client !== undefined) clientInternals(options.client);
  return checked;
}

/** The client options among handle options (the loader-only ones left out). */
function clientOptionsOf(options: SecretsOptions): InfisicalClientOptions {
  const client: Record<string, unknown> = {};
  for (const name of CLIENT_OPTION_NAMES) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined) client[name] = value;
  }
  return client as InfisicalClientOptions;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
