/**
 * The `snapshot` option (the last-known-good snapshot, off unless given), the store interface it
 * writes to, and the registry through which `@infisical/core/node` provides the file store, so
 * the main entry never carries file-system code.
 *
 * @module
 */
import { checkOptionNames, optionNames } from '../config/option-names.js';
import { durationMs } from '../config/option-values.js';
import { InfisicalError } from '../errors/infisical-error.js';
import { type EnvSource, envValue } from '../runtime/env.js';

/**
 * Where the snapshot is kept: one opaque text (encrypted before it gets here). The file store of
 * `@infisical/core/node` is one; a key-value store of an edge platform can be another.
 */
export interface SnapshotStore {
  /**
   * The stored text, or `undefined` when there is none yet. A throw makes the snapshot
   * unusable for this start (reported as `SNAPSHOT_REJECTED`, reason `unreadable`).
   */
  read(): Promise<string | undefined>;
  /** Replaces the stored text, atomically: a reader sees the old text or the new one, whole. */
  write(text: string): Promise<void>;
}

/**
 * The last-known-good snapshot (opt-in). After each successful load from Infisical, the folder's
 * secrets are written encrypted (AES-256-GCM, the key derived with HKDF-SHA256 from the
 * identity's credentials and bound to the site, project, environment, path and query). A start
 * that cannot reach Infisical serves them, if younger than `maxAge`, with `source: 'snapshot'`,
 * and switches to live values (with change events) once Infisical answers.
 */
export interface SnapshotOptions {
  /**
   * The snapshot file: written atomically (a temporary file renamed over it), mode 600, never
   * through a symbolic link, in a private folder (created with mode 700 if missing). Needs
   * `@infisical/core/node` imported (Node, Bun, Deno), as every adapter does. Give `path` or
   * `store`, not both.
   * @default env `INFISICAL_SNAPSHOT_PATH` (when the `snapshot` option is not given)
   */
  path?: string;
  /** A store of your own instead of a file (e.g. an edge key-value store). */
  store?: SnapshotStore;
  /**
   * The oldest snapshot a start may serve, in seconds since Infisical last confirmed its values:
   * an older one is ignored (`SNAPSHOT_REJECTED`, reason `expired`).
   * @default 86400 (one day; env `INFISICAL_SNAPSHOT_MAX_AGE` with `INFISICAL_SNAPSHOT_PATH`)
   */
  maxAge?: number;
  /**
   * Key material to use instead of the identity's credentials (at least 32 characters, e.g.
   * from `createSymmetricKey()`), kept as secret as they are. Needed with the cloud login
   * methods and custom auth methods, which have no lasting secret to derive a key from; with an
   * access token, it keeps the snapshot readable when the token is replaced.
   */
  key?: string;
  /**
   * How long a start waits for Infisical, in ms, before it serves the snapshot and goes on trying
   * in the background. A refused connection or a 5xx/429 answer serves it at once (with the
   * `client` option: once the load has failed).
   * @default 2000
   */
  timeout?: number;
}

/** The `snapshot` option after checking. */
export interface SnapshotSettings {
  store: SnapshotStore;
  /** How messages name it: `The snapshot file <path>`, or `The snapshot in snapshot.store`. */
  label: string;
  maxAgeMs: number;
  key: string | undefined;
  timeoutMs: number;
}

const SNAPSHOT_OPTION_NAMES = /* @__PURE__ */ optionNames<SnapshotOptions>()(
  'path',
  'store',
  'maxAge',
  'key',
  'timeout',
);
const DEFAULT_MAX_AGE_SECONDS = 86_400;
const DEFAULT_TIMEOUT_MS = 2000;
const MIN_KEY_LENGTH = 32;

/** Builds the file store of a path (registered by `@infisical/core/node`). */
export type SnapshotFileStoreFactory = (path: string) => SnapshotStore;

/** The file store factory, shared by every copy of the package in the realm. */
const REGISTRY: symbol = /* @__PURE__ */ Symbol.for('@infisical/core.snapshot-file-store');

/** Makes `snapshot: { path }` available (`@infisical/core/node` registers its file store). */
export function registerSnapshotFileStore(factory: SnapshotFileStoreFactory): void {
  (globalThis as { [REGISTRY]?: SnapshotFileStoreFactory })[REGISTRY] = factory;
}

/**
 * Checks the `snapshot` option; without it, `INFISICAL_SNAPSHOT_PATH` (and
 * `INFISICAL_SNAPSHOT_MAX_AGE`) of `env` turn on a file snapshot; `undefined` when neither is set.
 *
 * @throws InfisicalError `CONFIG_INVALID` naming the field (or variable) and the fix.
 */
export function resolveSnapshot(
  value: SnapshotOptions | undefined,
  env: EnvSource,
): SnapshotSettings | undefined {
  if (value === undefined) return snapshotFromEnv(env);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(
      'snapshot must be an object',
      'pass e.g. { path: ".infisical/snapshot", maxAge: 86400 }',
    );
  }
  checkOptionNames(value, SNAPSHOT_OPTION_NAMES, 'snapshot');
  const { path, store, key } = value;
  if ((path === undefined) === (store === undefined)) {
    throw invalid(
      'snapshot needs exactly one of path and store',
      'pass snapshot.path (a file) or snapshot.store',
    );
  }
  if (key !== undefined && (typeof key !== 'string' || key.length < MIN_KEY_LENGTH)) {
    throw invalid(
      `snapshot.key must be a string of at least ${MIN_KEY_LENGTH} characters`,
      'pass a key from createSymmetricKey(), kept as a secret, or leave it out to derive one from the credentials',
    );
  }
  return {
    store: path === undefined ? checkedStore(store) : fileStore(path),
    label: path === undefined ? 'The snapshot in snapshot.store' : `The snapshot file ${path}`,
    maxAgeMs: durationMs(value.maxAge ?? DEFAULT_MAX_AGE_SECONDS, {
      name: 'snapshot.maxAge',
      unit: 's',
      allowZero: false,
    }),
    key,
    timeoutMs: durationMs(value.timeout ?? DEFAULT_TIMEOUT_MS, {
      name: 'snapshot.timeout',
      unit: 'ms',
      allowZero: false,
    }),
  };
}

/**
 * The file snapshot the environment asks for, if any. Where there is no file store (an edge
 * runtime sharing the variables of a Node server), the variables are not for this code: ignored.
 */
function snapshotFromEnv(env: EnvSource): SnapshotSettings | undefined {
  const path = envValue(env, 'INFISICAL_SNAPSHOT_PATH');
  const maxAge = envValue(env, 'INFISICAL_SNAPSHOT_MAX_AGE');
  if (registeredFileStore() === undefined) return undefined;
  if (path === undefined) {
    if (maxAge === undefined) return undefined;
    throw invalid(
      'INFISICAL_SNAPSHOT_MAX_AGE is set without INFISICAL_SNAPSHOT_PATH',
      'set INFISICAL_SNAPSHOT_PATH to the snapshot file too, or unset INFISICAL_SNAPSHOT_MAX_AGE',
    );
  }
  return {
    store: fileStore(path),
    label: `The snapshot file ${path}`,
    maxAgeMs: durationMs(maxAge ?? DEFAULT_MAX_AGE_SECONDS, {
      name: 'INFISICAL_SNAPSHOT_MAX_AGE',
      unit: 's',
      allowZero: false,
    }),
    key: undefined,
    timeoutMs: DEFAULT_TIMEOUT_MS,
  };
}

function fileStore(path: unknown): SnapshotStore {
  if (typeof path !== 'string' || path.trim() === '') {
    throw invalid('snapshot.path must be a non-empty string', 'pass the path of the snapshot file');
  }
  const factory = registeredFileStore();
  if (factory === undefined) {
    throw invalid(
      'snapshot.path needs the file store of @infisical/core/node',
      "import '@infisical/core/node' once (Node, Bun or Deno; every adapter does), or pass snapshot.store",
    );
  }
  return factory(path);
}

function registeredFileStore(): SnapshotFileStoreFactory | undefined {
  return (globalThis as { [REGISTRY]?: SnapshotFileStoreFactory })[REGISTRY];
}

function checkedStore(store: unknown): SnapshotStore {
  const candidate = store as Partial<SnapshotStore> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.read !== 'function' ||
    typeof candidate.write !== 'function'
  ) {
    throw invalid(
      'snapshot.store must have read() and write(text) methods',
      'pass a SnapshotStore, or snapshot.path',
    );
  }
  return candidate as SnapshotStore;
}

function invalid(problem: string, fix: string): InfisicalError {
  return new InfisicalError('CONFIG_INVALID', `${problem}. Fix: ${fix}.`, {
    details: { option: 'snapshot' },
  });
}
