/**
 * One client's view of its fleet: the checked `fleet` option, the derived key, the health guard
 * around every store call, and the fleet channel (sealed messages, dispatched by type). The
 * shared folder cache and shared login are built on it; other core parts (push updates) use its
 * name-scoped, sealed, guarded {@link Fleet.locks} and {@link Fleet.bus}.
 *
 * @module
 */
import type { Logger } from '../api/logger.js';
import { checkOptionNames, optionNames, optionsObject } from '../config/option-names.js';
import { durationMs } from '../config/option-values.js';
import { InfisicalError } from '../errors/infisical-error.js';
import { FleetHealth, type Outcome } from './fleet-health.js';
import { deriveFleetKey, type FleetKey, userKeyBytes } from './fleet-key.js';
import type {
  FleetOptions,
  Lease,
  SharedBus,
  SharedCache,
  SharedLocks,
  SharedTokens,
} from './types.js';

/** The `fleet` option after checking. */
export interface FleetSettings {
  cache: SharedCache | undefined;
  tokens: SharedTokens | undefined;
  locks: SharedLocks | undefined;
  bus: SharedBus | undefined;
  /** The user's key bytes, when `fleet.key` was given. */
  key: Uint8Array<ArrayBuffer> | undefined;
  /** Time limit of each store call, in ms. */
  timeoutMs: number;
}

/** Who the client is, for the fleet key: an id, and the secret every instance of it shares. */
export interface FleetIdentity {
  /** Names the identity, e.g. `universal-auth:<client id>` (not secret). */
  id: string;
  /** Shared secret material (client secret, access token), or undefined when there is none. */
  secret: string | undefined;
}

/** A message on the fleet channel: its type, its sender, and its fields. */
export interface FleetMessage {
  /** The message type, e.g. `change`. */
  t: string;
  /** The sending instance. */
  from: string;
  [field: string]: unknown;
}

/** The default time limit of a store call. */
const DEFAULT_TIMEOUT_MS = 250;

const FLEET_OPTION_NAMES = /* @__PURE__ */ optionNames<FleetOptions>()(
  'cache',
  'tokens',
  'locks',
  'bus',
  'key',
  'timeout',
);
const MEMBER_METHODS = {
  cache: ['get', 'set', 'delete'],
  tokens: ['get', 'set', 'delete'],
  locks: ['tryAcquire'],
  bus: ['publish', 'subscribe'],
} as const;

/**
 * Checks the `fleet` option.
 * @throws InfisicalError `CONFIG_INVALID` naming the member and the fix.
 */
export function fleetSettings(value: FleetOptions | undefined): FleetSettings | undefined {
  const given = optionsObject(value, 'fleet');
  if (given === undefined) return undefined;
  checkOptionNames(given, FLEET_OPTION_NAMES, 'fleet options');
  for (const [member, methods] of Object.entries(MEMBER_METHODS)) {
    const store = (given as Record<string, unknown>)[member];
    if (store === undefined) continue;
    if (
      typeof store !== 'object' ||
      store === null ||
      methods.some((m) => typeof (store as Record<string, unknown>)[m] !== 'function')
    ) {
      throw new InfisicalError(
        'CONFIG_INVALID',
        `fleet.${member} must implement ${methods.join(', ')}. Fix: pass what @infisical/redis's redisFleet() returns, or leave fleet.${member} out.`,
        { details: { option: `fleet.${member}` } },
      );
    }
  }
  if (!given.cache && !given.tokens && !given.locks && !given.bus) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'fleet shares nothing: it has no cache, tokens, locks or bus. Fix: pass fleet: redisFleet({ url }) from @infisical/redis, or leave fleet out.',
      { details: { option: 'fleet' } },
    );
  }
  return {
    cache: given.cache,
    tokens: given.tokens,
    locks: given.locks,
    bus: given.bus,
    key: given.key === undefined ? undefined : userKeyBytes(given.key),
    timeoutMs:
      given.timeout === undefined
        ? DEFAULT_TIMEOUT_MS
        : durationMs(given.timeout, { name: 'fleet.timeout', unit: 'ms', allowZero: false }),
  };
}

/** What a {@link Fleet} needs from its client. */
export interface FleetContext {
  /** The auth method's identity, or undefined for a method that offers none. */
  identity: FleetIdentity | undefined;
  /** The auth method's name, for messages. */
  methodName: string;
  siteUrl: string;
  logger: Logger;
  /** Reports an error that fails no call (through the client's onError). */
  report(error: InfisicalError): void;
}

/** A fleet as one client sees it. */
export class Fleet {
  readonly settings: FleetSettings;
  readonly health: FleetHealth;
  /** This instance, in messages (so it can skip its own). */
  readonly instanceId: string = crypto.randomUUID();
  readonly #keyInput: { secret: Uint8Array<ArrayBuffer>; identity: string; siteUrl: string };
  readonly #logger: Logger;
  readonly #report: (error: InfisicalError) => void;
  readonly #handlers = new Map<string, Set<(message: FleetMessage) => void>>();
  readonly #rejoinListeners = new Set<() => void>();
  #key: Promise<FleetKey> | undefined;
  #joined: Promise<boolean> | undefined;
  #unsubscribe: (() => Promise<void>) | undefined;
  #closed = false;

  /**
   * @throws InfisicalError `CONFIG_INVALID` when the auth method has no shared secret to derive
   * the key from and no `fleet.key` was given.
   */
  constructor(settings: FleetSettings, context: FleetContext) {
    this.settings = settings;
    this.#logger = context.logger;
    this.#report = context.report;
    const { identity } = context;
    const secret =
      settings.key ??
      (identity?.secret === undefined ? undefined : new TextEncoder().encode(identity.secret));
    if (secret === undefined) {
      throw new InfisicalError(
        'CONFIG_INVALID',
        `fleet needs a key for ${context.methodName} auth: its instances share no credential to derive one from. Fix: pass fleet.key (createSymmetricKey()), the same for every instance of the fleet.`,
        { details: { option: 'fleet.key' } },
      );
    }
    this.#keyInput = {
      secret,
      identity: identity?.id ?? `custom:${context.methodName}`,
      siteUrl: context.siteUrl,
    };
    this.health = new FleetHealth({
      timeoutMs: settings.timeoutMs,
      logger: context.logger,
      probe: () => this.#probe(),
      report: (error) => this.#report(error),
      rejoined: () => this.#rejoined(),
    });
  }

  /** The derived key (computed once). */
  key(): Promise<FleetKey> {
    this.#key ??= deriveFleetKey(this.#keyInput);
    return this.#key;
  }

  /**
   * Subscribes this instance to the fleet channel, once; resolves to whether it is subscribed.
   * A failed subscription is tried again when the store comes back.
   */
  join(): Promise<boolean> {
    if (this.settings.bus === undefined || this.#closed) return Promise.resolve(false);
    this.#joined ??= this.#subscribe().then((joined) => {
      if (!joined) this.#joined = undefined;
      return joined;
    });
    return this.#joined;
  }

  /** Calls `handler` for each message of type `type` from another instance. Returns an unsubscribe. */
  on(type: string, handler: (message: FleetMessage) => void): () => void {
    let set = this.#handlers.get(type);
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(type, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Calls `listener` each time the store comes back after an outage. Returns an unsubscribe. */
  onRejoin(listener: () => void): () => void {
    this.#rejoinListeners.add(listener);
    return () => this.#rejoinListeners.delete(listener);
  }

  /** Sends a sealed message to every instance; false when the store failed or is down. */
  async publish(type: string, fields: Record<string, unknown> = {}): Promise<boolean> {
    const { bus } = this.settings;
    if (bus === undefined) return false;
    const key = await this.key();
    const channel = await key.name('bus', 'fleet');
    const sealed = await key.seal(
      channel,
      JSON.stringify({ ...fields, t: type, from: this.instanceId }),
    );
    return (await this.health.run(() => bus.publish(channel, sealed))).ok;
  }

  /** Reads and opens the shared entry of `name`; a missing, foreign or tampered one is `undefined`. */
  async cacheGet(name: string): Promise<Outcome<{ plain: string; fetchedAt: number } | undefined>> {
    const { cache } = this.settings;
    if (cache === undefined) return { ok: false };
    const got = await this.health.run(() => cache.get(name));
    if (!got.ok || got.value === undefined) return got.ok ? { ok: true, value: undefined } : got;
    const plain = await this.#open(name, got.value.value);
    const fetchedAt = Number(got.value.fetchedAt);
    if (plain === undefined || !Number.isFinite(fetchedAt)) return { ok: true, value: undefined };
    return { ok: true, value: { plain, fetchedAt } };
  }

  /** Seals and stores `plain` under `name`; false when the store failed or is down. */
  async cacheSet(name: string, plain: string, fetchedAt: number, ttlMs: number): Promise<boolean> {
    const { cache } = this.settings;
    if (cache === undefined) return false;
    const value = await (await this.key()).seal(name, plain);
    return (await this.health.run(() => cache.set(name, { value, fetchedAt }, ttlMs))).ok;
  }

  /** Opens `sealed` for `name`; undefined (and a debug line) when it does not open. */
  async #open(name: string, sealed: string): Promise<string | undefined> {
    try {
      return await (await this.key()).open(name, sealed);
    } catch (error) {
      this.#logger.debug('A shared fleet entry does not open with this key; ignored', {
        code: error instanceof InfisicalError ? error.code : 'UNKNOWN',
      });
      return undefined;
    }
  }

  /** Opens a sealed value of the shared tokens store (same sealing as the cache). */
  open(name: string, sealed: string): Promise<string | undefined> {
    return this.#open(name, sealed);
  }

  /** Tries the lock `name` once: a lease, `undefined` (held elsewhere), or `false` (store failed or down). */
  async tryLock(name: string, ttlMs: number): Promise<Lease | undefined | false> {
    const { locks } = this.settings;
    if (locks === undefined) return false;
    const outcome = await this.health.run(() => locks.tryAcquire(name, ttlMs));
    return outcome.ok ? outcome.value : false;
  }

  /**
   * The fleet's locks for other core parts: names scoped to this key, calls guarded (a failed
   * or down store rejects with `FLEET_UNAVAILABLE`). Undefined without `fleet.locks`.
   */
  get locks(): SharedLocks | undefined {
    const { locks } = this.settings;
    if (locks === undefined) return undefined;
    return {
      tryAcquire: async (name, ttlMs) => {
        const scoped = await (await this.key()).name('lock', name);
        return this.health.call(() => locks.tryAcquire(scoped, ttlMs));
      },
    };
  }

  /**
   * The fleet's bus for other core parts: channel names scoped to this key, messages sealed
   * (a message that does not open is dropped), calls guarded. Undefined without `fleet.bus`.
   */
  get bus(): SharedBus | undefined {
    const { bus } = this.settings;
    if (bus === undefined) return undefined;
    return {
      publish: async (channel, message) => {
        const key = await this.key();
        const scoped = await key.name('bus', channel);
        const sealed = await key.seal(scoped, String(message));
        await this.health.call(() => bus.publish(scoped, sealed));
      },
      subscribe: async (channel, listener) => {
        const scoped = await (await this.key()).name('bus', channel);
        return this.health.call(() =>
          bus.subscribe(scoped, (sealed) => {
            void this.#open(scoped, sealed).then((message) => {
              if (message !== undefined) listener(message);
            });
          }),
        );
      },
    };
  }

  /** Unsubscribes and stops the health probe. */
  close(): void {
    this.#closed = true;
    this.health.close();
    this.#handlers.clear();
    this.#rejoinListeners.clear();
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    unsubscribe?.().catch(() => undefined);
  }

  async #subscribe(): Promise<boolean> {
    const bus = this.settings.bus as SharedBus;
    const channel = await (await this.key()).name('bus', 'fleet');
    const outcome = await this.health.run(() =>
      bus.subscribe(channel, (sealed) => void this.#dispatch(channel, sealed)),
    );
    if (!outcome.ok) return false;
    if (this.#closed) {
      outcome.value().catch(() => undefined);
      return false;
    }
    this.#unsubscribe = outcome.value;
    return true;
  }

  async #dispatch(channel: string, sealed: string): Promise<void> {
    const text = await this.#open(channel, sealed);
    if (text === undefined) return;
    let message: FleetMessage;
    try {
      message = JSON.parse(text) as FleetMessage;
    } catch {
      return;
    }
    if (typeof message?.t !== 'string' || message.from === this.instanceId) return;
    for (const handler of [...(this.#handlers.get(message.t) ?? [])]) {
      try {
        handler(message);
      } catch (error) {
        this.#report(InfisicalError.from(error, 'A fleet message handler threw'));
      }
    }
  }

  async #probe(): Promise<unknown> {
    const { cache, tokens, bus, locks } = this.settings;
    const name = await (await this.key()).name('probe', 'health');
    if (cache) return cache.get(name);
    if (tokens) return tokens.get(name);
    if (bus) return bus.publish(name, '');
    const lease = await (locks as SharedLocks).tryAcquire(name, 1000);
    return lease?.release();
  }

  #rejoined(): void {
    if (this.#closed) return;
    void this.join();
    for (const listener of [...this.#rejoinListeners]) {
      try {
        listener();
      } catch (error) {
        this.#report(InfisicalError.from(error, 'A fleet rejoin listener threw'));
      }
    }
  }
}
