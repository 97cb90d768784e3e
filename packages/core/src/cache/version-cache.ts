/**
 * The cache of versioned reads (`getSecret(name, { version })`): one request per (scope, key,
 * type, version, flags) however many callers ask at once, and the answer kept. A version's
 * stored value never changes, so an unexpanded read is kept until evicted; an expanded one
 * depends on the secrets it references, so it lives `ttlMs` and a write to the project drops it.
 *
 * @module
 */
import type { ResolvedScope, Secret } from '../secrets/types.js';
import { SingleFlight } from './single-flight.js';

/** What a versioned read asks for. */
export interface VersionRead {
  readonly scope: ResolvedScope;
  readonly name: string;
  readonly type: string;
  readonly version: number;
  readonly includeImports: boolean;
  readonly expandSecretReferences: boolean;
}

interface Entry {
  readonly secret: Secret;
  readonly projectId: string;
  /** Expiry in ms since the epoch; `Infinity` for an unexpanded read. */
  readonly until: number;
}

/** At most this many versioned reads are kept; the oldest goes first. */
const MAX_ENTRIES = 1000;

/** Versioned reads of one client. */
export class VersionCache {
  readonly #ttlMs: number;
  readonly #flight = new SingleFlight<string, Secret>();
  readonly #entries = new Map<string, Entry>();

  /** @param ttlMs - the client's cache TTL; 0 keeps nothing (concurrent reads still share one request). */
  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  /** The cached answer to `read`, else the result of `load` (shared with concurrent callers). */
  get(read: VersionRead, load: () => Promise<Secret>): Promise<Secret> {
    const { projectId, environment, path } = read.scope;
    const key = [
      projectId,
      environment,
      path,
      read.name,
      read.type,
      read.version,
      +read.includeImports,
      +read.expandSecretReferences,
    ].join('\u0000');
    const hit = this.#entries.get(key);
    if (hit !== undefined && hit.until > Date.now()) return Promise.resolve(hit.secret);
    return this.#flight.run(key, async () => {
      const secret = await load();
      if (this.#ttlMs > 0) {
        if (this.#entries.size >= MAX_ENTRIES && !this.#entries.has(key)) {
          const oldest = this.#entries.keys().next().value;
          if (oldest !== undefined) this.#entries.delete(oldest);
        }
        const until = read.expandSecretReferences ? Date.now() + this.#ttlMs : Infinity;
        this.#entries.set(key, { secret, projectId, until });
      }
      return secret;
    });
  }

  /** After a write to a project: its expanded versioned reads are read again. */
  invalidateProject(projectId: string): void {
    for (const [key, entry] of this.#entries) {
      if (entry.projectId === projectId && entry.until !== Infinity) this.#entries.delete(key);
    }
  }
}
