/**
 * The fleet's folder cache, behind each client's own: a folder the local cache needs is taken
 * from the shared store while fresh; otherwise one instance (the holder of the folder's lock)
 * fetches it from Infisical and stores it while the others wait for its message, falling back
 * to their own request after a time limit. The instance that finds a folder changed tells the
 * fleet, and every instance reloads it from the store (its own `onChange` fires once, with the
 * changed keys); a write tells the fleet too. Any store failure means a direct request.
 *
 * @module
 */
import type { Logger } from '../api/logger.js';
import type { FetchMode, FolderRef } from '../cache/folder-cache.js';
import type { FolderSnapshot, Secret } from '../secrets/types.js';
import type { Fleet, FleetMessage } from './fleet.js';

/** Options of {@link SharedFolders}. */
export interface SharedFoldersOptions {
  fleet: Fleet;
  /** Freshness of a folder, in ms (the client's `cacheTtl`, above 0). */
  ttlMs: number;
  /** Fetches a folder from Infisical. */
  fetch(ref: FolderRef): Promise<FolderSnapshot>;
  /** Reloads one cached folder, or every one, through the local cache, taking the fleet's copy (it never rejects). */
  refresh(ref?: FolderRef): Promise<void>;
  /** The folders the local cache holds. */
  tracked(): Iterable<FolderRef>;
  logger: Logger;
}

/** How long a shared folder is kept past its freshness: the fleet's stale fallback at a cold start. */
const STALE_KEPT_MS = 3_600_000;
/** The lease of the instance fetching a folder for the fleet (renewed while it fetches). */
const FLIGHT_LOCK_MS = 15_000;
/** How long the others wait for the holder's result before sending their own request. */
const FLIGHT_WAIT_MS = 5_000;
/**
 * The refresh timer takes a shared copy with more than this share of its TTL left: instances
 * started together tick together, just before the copy they share expires, and would otherwise
 * all take it again and leave the next fetch (and a rotation) for the tick after.
 */
const POLL_MAX_AGE = 0.8;

type FlightResult = 'ok' | 'failed' | 'timeout';
interface SharedFolder {
  plain: string;
  fetchedAt: number;
}

/** The shared folder cache of one client. */
export class SharedFolders {
  readonly #fleet: Fleet;
  readonly #options: SharedFoldersOptions;
  /** The earliest fetch time a shared folder must have, after a change was announced. */
  readonly #floor = new Map<string, number>();
  /** The same, per project, after a write to it (here or announced). */
  readonly #projectFloor = new Map<string, number>();
  readonly #refsByName = new Map<string, FolderRef>();
  readonly #waiters = new Map<string, Set<(result: FlightResult) => void>>();
  /** When each snapshot taken from the store was fetched, so local freshness counts from then. */
  readonly #fetchedAt = new WeakMap<FolderSnapshot, number>();

  constructor(options: SharedFoldersOptions) {
    this.#options = options;
    this.#fleet = options.fleet;
    const fleet = options.fleet;
    fleet.on('flight', (message) => this.#settle(String(message.n), message.ok ? 'ok' : 'failed'));
    fleet.on('change', (message) => this.#changed(message));
    fleet.on('written', (message) => void this.#written(message));
    // Messages may have been missed while the store was down: reload everything once.
    fleet.onRejoin(() => void options.refresh());
  }

  /** When `snapshot` was fetched, if it came from the store. */
  fetchedAt(snapshot: FolderSnapshot): number | undefined {
    return this.#fetchedAt.get(snapshot);
  }

  /** A folder for the local cache: from the store while fresh (see {@link FetchMode}), else fetched once for the fleet. */
  async fetch(ref: FolderRef, mode: FetchMode): Promise<FolderSnapshot> {
    const fleet = this.#fleet;
    if (!fleet.health.up) return this.#options.fetch(ref);
    const since = mode === 'now' ? Date.now() : 0;
    const maxAge = mode === 'poll' ? this.#options.ttlMs * POLL_MAX_AGE : this.#options.ttlMs;
    void fleet.join();
    const name = await this.#name(ref);
    const floor = (): number =>
      Math.max(since, this.#floor.get(name) ?? 0, this.#projectFloor.get(ref.scope.projectId) ?? 0);
    const first = await fleet.cacheGet(name);
    if (!first.ok) return this.#options.fetch(ref);
    const fresh = this.#usable(name, first.value, floor(), maxAge);
    if (fresh !== undefined) return fresh;
    // Without locks and a bus there is no single flight: fetch, and share the result.
    if (fleet.settings.locks === undefined || fleet.settings.bus === undefined) {
      return this.#fetchForFleet(ref, name, first.value);
    }
    const lease = await fleet.tryLock(`${name}:flight`, FLIGHT_LOCK_MS);
    if (lease === false) return this.#options.fetch(ref);
    if (lease !== undefined) {
      try {
        const again = await fleet.cacheGet(name);
        const now = again.ok ? this.#usable(name, again.value, floor(), maxAge) : undefined;
        if (now !== undefined) return now;
        return await this.#fetchForFleet(
          ref,
          name,
          (again.ok ? again.value : undefined) ?? first.value,
        );
      } finally {
        void lease.release().catch(() => undefined);
      }
    }
    return this.#waitForHolder(ref, name, floor);
  }

  /** After this client wrote to a project: every instance reloads that project's folders. */
  written(projectId: string): void {
    const at = Date.now();
    this.#projectFloor.set(projectId, at);
    void (async () => {
      const project = await (await this.#fleet.key()).name('p', projectId);
      await this.#fleet.publish('written', { p: project, at });
    })().catch(() => undefined);
  }

  async #fetchForFleet(
    ref: FolderRef,
    name: string,
    previous: SharedFolder | undefined,
  ): Promise<FolderSnapshot> {
    const fleet = this.#fleet;
    // Freshness counts from the start of the request: the answer is at least that new.
    const fetchedAt = Date.now();
    let snapshot: FolderSnapshot;
    try {
      snapshot = await this.#options.fetch(ref);
    } catch (error) {
      await fleet.publish('flight', { n: name, ok: false });
      throw error;
    }
    this.#floor.delete(name);
    const plain = JSON.stringify(snapshot);
    await fleet.cacheSet(name, plain, fetchedAt, this.#options.ttlMs + STALE_KEPT_MS);
    await fleet.publish('flight', { n: name, ok: true });
    if (previous !== undefined && previous.plain !== plain) {
      this.#options.logger.debug('Infisical secrets changed; telling the fleet', { ...ref.scope });
      await fleet.publish('change', { n: name, at: fetchedAt });
    }
    return snapshot;
  }

  async #waitForHolder(ref: FolderRef, name: string, floor: () => number): Promise<FolderSnapshot> {
    const fleet = this.#fleet;
    const result = this.#waitFor(name);
    // The holder may have finished between our read and our lock attempt.
    const now = await fleet.cacheGet(name);
    const early = now.ok ? this.#usable(name, now.value, floor()) : undefined;
    if (early !== undefined) {
      this.#settle(name, 'ok');
      return early;
    }
    if ((await result) === 'ok') {
      const after = await fleet.cacheGet(name);
      const value = after.ok ? this.#usable(name, after.value, floor()) : undefined;
      if (value !== undefined) return value;
    }
    this.#options.logger.debug('No fleet result for this folder in time; fetching it', {
      ...ref.scope,
    });
    const fetchedAt = Date.now();
    const snapshot = await this.#options.fetch(ref);
    this.#floor.delete(name);
    await fleet.cacheSet(
      name,
      JSON.stringify(snapshot),
      fetchedAt,
      this.#options.ttlMs + STALE_KEPT_MS,
    );
    return snapshot;
  }

  /** The snapshot of a shared folder younger than `maxAge` (default the TTL) and fetched no earlier than `floor`. */
  #usable(
    name: string,
    entry: SharedFolder | undefined,
    floor: number,
    maxAge = this.#options.ttlMs,
  ): FolderSnapshot | undefined {
    if (entry === undefined) return undefined;
    const now = Date.now();
    if (now - entry.fetchedAt >= maxAge || entry.fetchedAt < floor) return undefined;
    const snapshot = parseSnapshot(entry.plain);
    if (snapshot === undefined) return undefined;
    this.#floor.delete(name);
    this.#fetchedAt.set(snapshot, Math.min(entry.fetchedAt, now));
    return snapshot;
  }

  #waitFor(name: string): Promise<FlightResult> {
    return new Promise((resolve) => {
      let set = this.#waiters.get(name);
      if (set === undefined) {
        set = new Set();
        this.#waiters.set(name, set);
      }
      const waiters = set;
      const done = (result: FlightResult): void => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0 && this.#waiters.get(name) === waiters) this.#waiters.delete(name);
        resolve(result);
      };
      const timer = setTimeout(() => done('timeout'), FLIGHT_WAIT_MS);
      (timer as { unref?: () => void }).unref?.();
      waiters.add(done);
    });
  }

  #settle(name: string, result: FlightResult): void {
    for (const done of [...(this.#waiters.get(name) ?? [])]) done(result);
  }

  #changed(message: FleetMessage): void {
    const name = String(message.n);
    const ref = this.#refsByName.get(name);
    if (ref === undefined) return;
    this.#raiseFloor(name, Number(message.at));
    void this.#options.refresh(ref);
  }

  async #written(message: FleetMessage): Promise<void> {
    const key = await this.#fleet.key();
    const at = Number(message.at);
    if (!Number.isFinite(at)) return;
    for (const ref of [...this.#options.tracked()]) {
      const { projectId } = ref.scope;
      if ((await key.name('p', projectId)) !== message.p) continue;
      this.#projectFloor.set(projectId, Math.max(at, this.#projectFloor.get(projectId) ?? 0));
      void this.#options.refresh(ref);
    }
  }

  #raiseFloor(name: string, at: number): void {
    if (!Number.isFinite(at)) return;
    this.#floor.set(name, Math.max(at, this.#floor.get(name) ?? 0));
  }

  async #name(ref: FolderRef): Promise<string> {
    const name = await (await this.#fleet.key()).name('f', ref.key);
    this.#refsByName.set(name, ref);
    return name;
  }
}

/** A folder snapshot from its JSON, frozen as fetched ones are; undefined when malformed. */
function parseSnapshot(plain: string): FolderSnapshot | undefined {
  let parsed: FolderSnapshot;
  try {
    parsed = JSON.parse(plain) as FolderSnapshot;
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed?.secrets) || !Array.isArray(parsed.imports)) return undefined;
  const rows = (list: unknown): Secret[] | undefined =>
    Array.isArray(list) && list.every(isSecret) ? list.map(freezeSecret) : undefined;
  const secrets = rows(parsed.secrets);
  const imports = parsed.imports.map((one) => ({ ...one, secrets: rows(one?.secrets) }));
  if (secrets === undefined || imports.some((one) => one.secrets === undefined)) return undefined;
  return { secrets, imports: imports as FolderSnapshot['imports'] };
}

function isSecret(row: unknown): row is Secret {
  const secret = row as Secret;
  return (
    typeof secret?.key === 'string' &&
    typeof secret.value === 'string' &&
    (secret.type === 'shared' || secret.type === 'personal')
  );
}

function freezeSecret(secret: Secret): Secret {
  Object.freeze(secret.tags);
  if (secret.imported !== undefined) Object.freeze(secret.imported);
  return Object.freeze(secret);
}
