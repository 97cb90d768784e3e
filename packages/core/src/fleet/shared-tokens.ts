/**
 * The fleet's access token: one per identity, sealed in the shared tokens store. An instance
 * that needs a token takes the shared one while it is valid and not due for renewal; otherwise
 * the holder of the identity's lease renews it (or logs in) and shares the result, while the
 * others keep using the token they have, or wait for the holder's message (falling back to a
 * login of their own after a time limit). Any store failure means this client's own login.
 *
 * @module
 */
import { dueForRenewal, type TokenShare, type TokenState } from '../auth/token-manager.js';
import type { Fleet } from './fleet.js';

/** The identity's lease while renewing or logging in. */
const TOKEN_LOCK_MS = 30_000;
/** How long an instance without a valid token waits for the holder's login. */
const TOKEN_WAIT_MS = 5_000;
/** While another instance renews, how long a still-valid token is used without asking again. */
const RECHECK_MS = 1_000;

/** A token state as JSON: `null` for a time that never comes. */
type StoredState = {
  token: string;
  issuedAt: number;
  expiresAt: number | null;
  budgetEndsAt: number | null;
};

/** The shared token of one client's identity. */
export class SharedTokens implements TokenShare {
  readonly #fleet: Fleet;
  readonly #waiters = new Set<() => void>();
  /** Tokens the server rejected: never taken from the store again. */
  readonly #rejected = new Set<string>();
  #recheckAt = 0;

  constructor(fleet: Fleet) {
    this.#fleet = fleet;
    fleet.on('token', () => {
      for (const done of [...this.#waiters]) done();
    });
  }

  /** See {@link TokenShare.obtain}. */
  async obtain(
    current: TokenState | undefined,
    own: (seed?: TokenState) => Promise<TokenState>,
  ): Promise<TokenState> {
    const fleet = this.#fleet;
    const now = Date.now();
    if (current !== undefined && now < this.#recheckAt && now < current.expiresAt) return current;
    if (!fleet.health.up || fleet.settings.tokens === undefined) return own();
    void fleet.join();
    const name = await (await fleet.key()).name('t', 'access-token');
    const first = await this.#read(name);
    if (first === false) return own();
    if (first !== undefined && this.#current(first)) return first;
    const lease = await fleet.tryLock(`${name}:renew`, TOKEN_LOCK_MS);
    if (lease === false) return own();
    if (lease !== undefined) {
      try {
        const again = await this.#read(name);
        if (again !== false && again !== undefined && this.#current(again)) return again;
        const next = await own([again, first].find((state) => this.#valid(state)));
        await this.#write(name, next);
        return next;
      } finally {
        void lease.release().catch(() => undefined);
      }
    }
    // Another instance renews or logs in: a token still valid serves meanwhile.
    const valid = [current, first].find((state) => this.#valid(state));
    if (valid !== undefined) {
      this.#recheckAt = now + RECHECK_MS;
      return valid;
    }
    const holder = fleet.settings.bus === undefined ? undefined : this.#waitForHolder();
    // The holder may have shared its token between our read and our lock attempt.
    const early = await this.#read(name);
    if (early !== false && this.#valid(early)) return early;
    await holder;
    const shared = await this.#read(name);
    if (shared !== false && this.#valid(shared)) return shared as TokenState;
    return own();
  }

  /** See {@link TokenShare.drop}. */
  drop(token: string): void {
    this.#rejected.add(token);
    this.#recheckAt = 0;
    const fleet = this.#fleet;
    const tokens = fleet.settings.tokens;
    if (tokens === undefined || !fleet.health.up) return;
    void (async () => {
      const name = await (await fleet.key()).name('t', 'access-token');
      const shared = await this.#read(name);
      if (shared && shared.token === token) await fleet.health.run(() => tokens.delete(name));
    })().catch(() => undefined);
  }

  /** The shared state, `undefined` when there is none (or it does not open), `false` when the store failed. */
  async #read(name: string): Promise<TokenState | undefined | false> {
    const fleet = this.#fleet;
    const tokens = fleet.settings.tokens;
    if (tokens === undefined) return false;
    const got = await fleet.health.run(() => tokens.get(name));
    if (!got.ok) return false;
    if (got.value === undefined) return undefined;
    const plain = await fleet.open(name, got.value);
    if (plain === undefined) return undefined;
    try {
      const stored = JSON.parse(plain) as StoredState;
      if (typeof stored?.token !== 'string' || stored.token === '') return undefined;
      return {
        token: stored.token,
        issuedAt: Number(stored.issuedAt),
        expiresAt: stored.expiresAt ?? Number.POSITIVE_INFINITY,
        budgetEndsAt: stored.budgetEndsAt ?? Number.POSITIVE_INFINITY,
      };
    } catch {
      return undefined;
    }
  }

  async #write(name: string, state: TokenState): Promise<void> {
    const fleet = this.#fleet;
    const tokens = fleet.settings.tokens;
    const left = state.expiresAt - Date.now();
    if (tokens === undefined || left <= 0) return;
    const stored: StoredState = {
      token: state.token,
      issuedAt: state.issuedAt,
      expiresAt: Number.isFinite(state.expiresAt) ? state.expiresAt : null,
      budgetEndsAt: Number.isFinite(state.budgetEndsAt) ? state.budgetEndsAt : null,
    };
    const sealed = await (await fleet.key()).seal(name, JSON.stringify(stored));
    const ttlMs = Number.isFinite(left) ? left : 24 * 3600_000;
    if ((await fleet.health.run(() => tokens.set(name, sealed, ttlMs))).ok) {
      await fleet.publish('token');
    }
  }

  /** Valid, not rejected, and not yet due for renewal. */
  #current(state: TokenState): boolean {
    return this.#valid(state) && !dueForRenewal(state, Date.now());
  }

  #valid(state: TokenState | undefined | false): state is TokenState {
    return (
      state !== undefined &&
      state !== false &&
      Date.now() < state.expiresAt &&
      !this.#rejected.has(state.token)
    );
  }

  #waitForHolder(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, TOKEN_WAIT_MS);
      (timer as { unref?: () => void }).unref?.();
      this.#waiters.add(done);
    });
  }
}
