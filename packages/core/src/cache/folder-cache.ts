/**
 * The client's cache of folders: the one normalised folder query and its cache key, reads
 * through the TTL cache (stale-while-revalidate, stale-if-error), on-demand and timed refresh,
 * invalidation after writes, and change events with the diff computed once.
 *
 * @module
 */
import type { Logger } from '../api/logger.js';
import { InfisicalError } from '../errors/infisical-error.js';
import { mergeSnapshot } from '../secrets/merge.js';
import type { FolderSnapshot, ResolvedScope } from '../secrets/types.js';
import { diffSorted, hasChanges, type SnapshotDiff } from './diff.js';
import { notifyAll } from './notify.js';
import type { CacheStore } from './store.js';
import { type RefreshResult, TtlCache } from './ttl-cache.js';

/** What a folder list is asked for. */
export interface FolderQuery {
  /** Include sub-folders. @default false */
  recursive?: boolean;
  /** Include secret imports (merged: local wins, last import wins). @default true */
  includeImports?: boolean;
  /** Expand `${…}` references on the server. @default true */
  expandSecretReferences?: boolean;
  /**
   * Only secrets carrying one of these tag slugs (any of them). The server filters the folder's
   * own secrets; the client drops imported secrets without one of the tags, which on a 2024
   * server (its imported secrets carry no tags) is every imported secret.
   * @default [] (every secret)
   */
  tagSlugs?: readonly string[];
}

/** A folder query with every default filled in and the tags sorted: the only form used inside. */
export interface NormalizedFolderQuery {
  readonly recursive: boolean;
  readonly includeImports: boolean;
  readonly expandSecretReferences: boolean;
  readonly tagSlugs: readonly string[];
}

/** One cached folder: where, what was asked, and the cache key both make. */
export interface FolderRef {
  /** The cache key: equal keys are the same request. */
  readonly key: string;
  readonly scope: Readonly<ResolvedScope>;
  readonly query: NormalizedFolderQuery;
}

/** A change a refetch found in a cached folder. */
export interface FolderChange {
  readonly ref: FolderRef;
  /** Keys added, changed and removed. */
  readonly diff: SnapshotDiff;
  readonly next: FolderSnapshot;
  readonly previous: FolderSnapshot;
}

/** A successful fetch of a cached folder, changed or not. */
export interface FolderFetched {
  readonly ref: FolderRef;
  readonly snapshot: FolderSnapshot;
}

/**
 * The folder a scope and query address, normalised: the defaults of {@link FolderQuery} are
 * applied here and nowhere else. (Ids, slugs and paths hold no NUL, so the key is unambiguous.)
 */
export function folderRef(scope: ResolvedScope, query: FolderQuery = {}): FolderRef {
  const normalized: NormalizedFolderQuery = Object.freeze({
    recursive: query.recursive ?? false,
    includeImports: query.includeImports ?? true,
    expandSecretReferences: query.expandSecretReferences ?? true,
    tagSlugs: Object.freeze([...new Set(query.tagSlugs ?? [])].sort()),
  });
  const flags = `${+normalized.recursive}${+normalized.includeImports}${+normalized.expandSecretReferences}`;
  const { projectId, environment, path } = scope;
  return Object.freeze({
    key: `${projectId}\u0000${environment}\u0000${path}\u0000${flags}\u0000${normalized.tagSlugs.join(',')}`,
    scope: Object.freeze({ projectId, environment, path }),
    query: normalized,
  });
}

/**
 * Why a folder is fetched, for a fleet's shared copy: `read` (a read found it missing or
 * stale: a fresh copy will do), `poll` (the refresh timer: a copy with most of its freshness
 * left), `now` (a refresh asked for: only a copy fetched after the call).
 */
export type FetchMode = 'read' | 'poll' | 'now';

/** Options of {@link FolderCache}. */
export interface FolderCacheOptions {
  /**
   * Fetches a folder: from Infisical, or a fleet's copy (see {@link FetchMode}).
   */
  fetch(ref: FolderRef, mode: FetchMode): Promise<FolderSnapshot>;
  /** Freshness of a fetched folder, in ms; 0 fetches on every read. */
  ttlMs: number;
  /** Serve a stale folder at once and refetch it in the background. */
  staleWhileRevalidate: boolean;
  /** Refetch every cached folder this often, in ms; 0 turns the timer off. */
  refreshIntervalMs: number;
  /** Where folders are kept. @default in memory */
  store?: CacheStore<FolderSnapshot> | undefined;
  /** When a fetched folder was fetched, if before `fetch` returned it (the fleet's cache). */
  fetchedAt?: ((snapshot: FolderSnapshot) => number | undefined) | undefined;
  /** Receives failures that did not fail a call (refetches, listeners, the store). */
  report(error: unknown, context: string): void;
  logger: Logger;
  /** Hears each folder the cache starts to hold (the event stream subscribes to its project). */
  onTrack?: ((ref: FolderRef) => void) | undefined;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * One tick of the refresh timer: between 0.8 and 1.2 times the interval, so instances that
 * started together (a rollout) drift apart instead of refetching in the same second.
 */
export function jitteredInterval(intervalMs: number, random: () => number = Math.random): number {
  return Math.round(intervalMs * (0.8 + 0.4 * random()));
}

/** The folders one client has read, kept current. */
export class FolderCache {
  readonly #fetch: (ref: FolderRef, mode: FetchMode) => Promise<FolderSnapshot>;
  readonly #cache: TtlCache<FolderSnapshot>;
  readonly #refreshIntervalMs: number;
  readonly #report: (error: unknown, context: string) => void;
  readonly #logger: Logger;
  readonly #onTrack: ((ref: FolderRef) => void) | undefined;
  readonly #refs = new Map<string, FolderRef>();
  readonly #listeners = new Set<(change: FolderChange) => void>();
  readonly #fetchedListeners = new Set<(fetched: FolderFetched) => void>();
  /** What the refresh timer reaches: strongly while someone listens, else weakly (see #startTimer). */
  readonly #timerTarget: {
    strong: FolderCache | undefined;
    weak: { deref(): FolderCache | undefined };
  };
  /** The pending tick of the refresh timer (a holder the timer callback can reach without the cache). */
  #timer: { handle: Timer | undefined } | undefined;
  #closed = false;

  constructor(options: FolderCacheOptions) {
    this.#fetch = options.fetch;
    this.#refreshIntervalMs = options.refreshIntervalMs;
    // After close() nothing is reported: a refetch cut short by it is not a failure.
    this.#report = (error, context) => {
      if (!this.#closed) options.report(error, context);
    };
    this.#logger = options.logger;
    this.#onTrack = options.onTrack;
    this.#timerTarget = {
      strong: undefined,
      weak: typeof WeakRef === 'function' ? new WeakRef(this) : { deref: () => this },
    };
    this.#cache = new TtlCache<FolderSnapshot>({
      ttlMs: options.ttlMs,
      staleWhileRevalidate: options.staleWhileRevalidate,
      ...(options.store === undefined ? {} : { store: options.store }),
      ...(options.fetchedAt === undefined ? {} : { fetchedAt: options.fetchedAt }),
      onError: (error) =>
        this.#report(error, 'Infisical refetch failed; serving the cached secrets'),
      onUpdate: (key, next, previous) => this.#emit(key, next, previous),
      onStoreError: (error) =>
        this.#report(
          new InfisicalError(
            'STORE_FAILED',
            'The cache store threw, so this client keeps its folders in memory from now on (reported once). Fix: check the store given as cacheStore.',
            { cause: error },
          ),
          'The cache store failed',
        ),
    });
  }

  /** A folder: fresh from the cache, stale at once while it is refetched, or fetched. */
  get(ref: FolderRef): Promise<FolderSnapshot> {
    this.#track(ref);
    return this.#cache.get(ref.key, () => this.#fetch(ref, 'read'));
  }

  /** A fresh cached folder without a promise (the read hot path), else undefined. */
  getFresh(ref: FolderRef): FolderSnapshot | undefined {
    return this.#cache.getFresh(ref.key);
  }

  /**
   * Refetches one folder, or every cached one, now; listeners hear about changes. Failures are
   * reported and the cached folders kept; this never rejects.
   *
   * @param mode - `now` (default): nothing fetched before this call will do.
   */
  async refresh(ref?: FolderRef, mode: FetchMode = 'now'): Promise<void> {
    const refs = ref === undefined ? [...this.#refs.values()] : [ref];
    await Promise.all(refs.map((one) => this.refetch(one, mode)));
  }

  /**
   * Refetches one folder now, as `refresh`, and returns the folder before and after (the cached
   * one as both when the fetch failed); undefined when it failed with nothing cached (reported).
   */
  async refetch(
    ref: FolderRef,
    mode: FetchMode = 'now',
  ): Promise<RefreshResult<FolderSnapshot> | undefined> {
    this.#track(ref);
    try {
      return await this.#cache.refresh(ref.key, () => this.#fetch(ref, mode));
    } catch (error) {
      this.#report(error, 'Infisical refresh failed');
      return undefined;
    }
  }

  /** After a write to a project: its folders are refetched on their next read, the old values kept as fallback. */
  invalidateProject(projectId: string): void {
    for (const ref of this.#refs.values()) {
      if (ref.scope.projectId === projectId) this.#cache.invalidate(ref.key);
    }
  }

  /** The folders this cache holds. */
  tracked(): IterableIterator<FolderRef> {
    return this.#refs.values();
  }

  /** Calls `listener` when a refetch changes a cached folder. Returns an unsubscribe. */
  subscribe(listener: (change: FolderChange) => void): () => void {
    this.#listeners.add(listener);
    this.#timerTarget.strong = this;
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#timerTarget.strong = undefined;
    };
  }

  /**
   * Calls `listener` after every successful fetch of a folder, changed or not (the handle keeps
   * its last-known-good snapshot's age current). Returns an unsubscribe.
   */
  onFetched(listener: (fetched: FolderFetched) => void): () => void {
    this.#fetchedListeners.add(listener);
    return () => {
      this.#fetchedListeners.delete(listener);
    };
  }

  /** Stops the timer and drops listeners. */
  close(): void {
    this.#closed = true;
    const timer = this.#timer;
    if (timer !== undefined) {
      clearTimeout(timer.handle);
      timer.handle = undefined;
    }
    this.#timer = undefined;
    this.#listeners.clear();
    this.#fetchedListeners.clear();
    this.#timerTarget.strong = undefined;
  }

  #track(ref: FolderRef): void {
    if (this.#refs.has(ref.key)) return;
    this.#refs.set(ref.key, ref);
    this.#startTimer();
    this.#onTrack?.(ref);
  }

  /**
   * The refresh timer never keeps the process alive, and never keeps a dropped client alive
   * either: without listeners it reaches the cache through a weak reference and stops once the
   * cache is collected (a client created per request does not poll for ever). Each tick is
   * jittered ({@link jitteredInterval}).
   */
  #startTimer(): void {
    if (this.#refreshIntervalMs <= 0 || this.#timer !== undefined || this.#closed) return;
    const target = this.#timerTarget;
    const intervalMs = this.#refreshIntervalMs;
    const holder: { handle: Timer | undefined } = { handle: undefined };
    const schedule = (): void => {
      const timer: Timer = setTimeout(() => {
        const cache = target.strong ?? target.weak.deref();
        if (cache === undefined || holder.handle === undefined) return;
        void cache.refresh(undefined, 'poll');
        schedule();
      }, jitteredInterval(intervalMs));
      (timer as { unref?: () => void }).unref?.();
      holder.handle = timer;
    };
    schedule();
    this.#timer = holder;
  }

  #emit(key: string, next: FolderSnapshot, previous: FolderSnapshot | undefined): void {
    const ref = this.#refs.get(key);
    if (ref !== undefined && this.#fetchedListeners.size > 0) {
      notifyAll(
        this.#fetchedListeners,
        { ref, snapshot: next },
        this.#report,
        'An onFetched listener',
      );
    }
    if (previous === undefined || ref === undefined || this.#listeners.size === 0) return;
    const diff = diffSorted(mergeSnapshot(previous), mergeSnapshot(next));
    if (!hasChanges(diff)) return;
    this.#logger.debug('Infisical secrets changed', { ...ref.scope, ...diff });
    const change: FolderChange = { ref, diff, next, previous };
    notifyAll(this.#listeners, change, this.#report, 'An onChange listener');
  }
}
