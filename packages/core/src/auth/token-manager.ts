/**
 * Lazy, shared access-token handling: the first request logs in (concurrent callers share that
 * login), the token is renewed once three quarters of its life have passed, a new login replaces
 * renewal when it is refused or the max-TTL budget is nearly spent, and a token the server rejects
 * is dropped so the next request logs in again. When renewal and login both fail while the
 * current token is still valid, that token goes on being used until it expires, and a new
 * attempt waits for a growing, jittered delay. A token obtained by login is handed over for
 * revocation when the client closes.
 *
 * @module
 */
import type { Logger } from '../api/logger.js';
import { cooldownDelay } from '../api/retry.js';
import { SingleFlight } from '../cache/single-flight.js';
import { isInfisicalError } from '../errors/infisical-error.js';
import type { AccessTokenGrant, AuthContext, AuthMethod } from './auth-method.js';

/** Renew once this share of a token's life has passed. */
const RENEW_AT = 0.75;
/** The longest wait between failed renew-or-login attempts while the token is still valid. */
const MAX_RETRY_WAIT_MS = 30_000;

/** A token and its lifetime. */
export interface TokenState {
  token: string;
  issuedAt: number;
  /** ms epoch; Infinity when the token does not expire. */
  expiresAt: number;
  /** ms epoch when the identity's max-TTL budget runs out; Infinity without one. */
  budgetEndsAt: number;
}

/**
 * Where a fleet shares its token (see `fleet/shared-tokens.ts`): `obtain` gives the fleet's
 * current token, or runs `own` (this client's renewal or login, from `seed` when the fleet's
 * token is newer than this client's) for the fleet.
 */
export interface TokenShare {
  obtain(
    current: TokenState | undefined,
    own: (seed?: TokenState) => Promise<TokenState>,
  ): Promise<TokenState>;
  /** The server rejected `token`: it is not shared any more. */
  drop(token: string): void;
}

/** Whether three quarters of the token's life have passed. */
export function dueForRenewal(state: TokenState, now: number): boolean {
  if (state.expiresAt === Number.POSITIVE_INFINITY) return false;
  return now >= state.issuedAt + (state.expiresAt - state.issuedAt) * RENEW_AT;
}

/** Holds the current access token of one client. */
export class TokenManager {
  readonly #method: AuthMethod;
  readonly #context: AuthContext;
  readonly #now: () => number;
  readonly #share: TokenShare | undefined;
  readonly #flight = new SingleFlight<'token', string>();
  #state: TokenState | undefined;
  /** Renew-or-login attempts that failed in a row while the token was still valid, and when to try again. */
  #failures = 0;
  #retryAt = 0;

  constructor(
    method: AuthMethod,
    context: AuthContext,
    now: () => number = Date.now,
    share?: TokenShare,
  ) {
    this.#method = method;
    this.#context = context;
    this.#now = now;
    // A token nobody can renew or replace (a fixed one) is not worth sharing.
    this.#share = method.renewable ? share : undefined;
  }

  /** The auth method's name, for logs. */
  get methodName(): string {
    return this.#method.name;
  }

  /** Whether dropping a rejected token and logging in again can give a different token. */
  get canRelogin(): boolean {
    return this.#method.renewable;
  }

  /** The token held now, if any: for the leak check and log redaction, never logged. */
  get currentToken(): string | undefined {
    return this.#state?.token;
  }

  /** A token valid for now: the current one, a renewed one, or a new login's. */
  async token(): Promise<string> {
    const state = this.#state;
    if (state && (!dueForRenewal(state, this.#now()) || this.#waiting(state))) return state.token;
    return this.#flight.run('token', async () => {
      const share = this.#share;
      if (share === undefined) return (await this.#obtain()).token;
      this.#state = await share.obtain(this.#state, (seed) => this.#obtain(seed));
      return this.#state.token;
    });
  }

  /**
   * The current token if this manager obtained it by login (a renewable method) and it has not
   * expired, dropped from the manager so it is revoked once; undefined for a token the user gave,
   * and for a fleet's shared token (the other instances go on using it).
   */
  takeRevocable(): string | undefined {
    const state = this.#state;
    this.#state = undefined;
    if (
      state === undefined ||
      this.#share !== undefined ||
      !this.#method.renewable ||
      this.#now() >= state.expiresAt
    )
      return undefined;
    return state.token;
  }

  /** Drops `token` if it is still the current one (the server rejected it). */
  invalidate(token: string): void {
    if (this.#state?.token === token) this.#state = undefined;
    this.#share?.drop(token);
  }

  /** Whether a failed attempt's wait is running and the token is still valid. */
  #waiting(state: TokenState): boolean {
    const now = this.#now();
    return now < this.#retryAt && now < state.expiresAt;
  }

  /**
   * Renews the current token (or `seed`, a newer one the fleet shares), or logs in; gives the
   * state now current.
   */
  async #obtain(seed?: TokenState): Promise<TokenState> {
    if (seed !== undefined && seed.expiresAt > (this.#state?.expiresAt ?? 0)) this.#state = seed;
    const state = this.#state;
    const logger: Logger = this.#context.logger;
    if (state && this.#method.renewable && this.#canRenew(state)) {
      try {
        const grant = await this.#renew(state.token);
        this.#state = { ...this.#stateOf(grant), budgetEndsAt: state.budgetEndsAt };
        this.#failures = 0;
        logger.debug('Infisical access token renewed', {
          method: this.#method.name,
          expiresIn: grant.expiresIn,
        });
        return this.#state;
      } catch (error) {
        logger.debug('Infisical token renewal refused; logging in again', {
          method: this.#method.name,
          code: isInfisicalError(error) ? error.code : 'UNKNOWN',
          status: isInfisicalError(error) ? error.status : undefined,
        });
      }
    }
    let grant: AccessTokenGrant;
    try {
      grant = await this.#method.login(this.#context);
    } catch (error) {
      if (!state || this.#now() >= state.expiresAt) throw error;
      this.#failures++;
      this.#retryAt =
        this.#now() + cooldownDelay(this.#failures, { maxCooldownMs: MAX_RETRY_WAIT_MS });
      logger.debug('Infisical renewal and login failed; using the current token until it expires', {
        method: this.#method.name,
        code: isInfisicalError(error) ? error.code : 'UNKNOWN',
      });
      return state;
    }
    this.#failures = 0;
    this.#state = this.#stateOf(grant);
    logger.debug('Infisical login succeeded', {
      method: this.#method.name,
      expiresIn: grant.expiresIn,
    });
    return this.#state;
  }

  /** Renew only a token that is still valid and has budget for more than a sliver of its TTL. */
  #canRenew(state: TokenState): boolean {
    const now = this.#now();
    const ttl = state.expiresAt - state.issuedAt;
    return now < state.expiresAt && state.budgetEndsAt - now > ttl * (1 - RENEW_AT);
  }

  async #renew(token: string): Promise<AccessTokenGrant> {
    const grant = await this.#context.transport.request<AccessTokenGrant>({
      method: 'POST',
      path: '/api/v1/auth/token/renew',
      body: { accessToken: token },
      idempotent: true,
    });
    if (typeof grant?.accessToken !== 'string' || grant.accessToken === '') {
      throw new TypeError('renew answer without accessToken');
    }
    return {
      accessToken: grant.accessToken,
      expiresIn: Number(grant.expiresIn) || 0,
      accessTokenMaxTTL: 0,
    };
  }

  #stateOf(grant: AccessTokenGrant): TokenState {
    const now = this.#now();
    return {
      token: grant.accessToken,
      issuedAt: now,
      expiresAt: grant.expiresIn > 0 ? now + grant.expiresIn * 1000 : Number.POSITIVE_INFINITY,
      budgetEndsAt:
        grant.accessTokenMaxTTL > 0
          ? now + grant.accessTokenMaxTTL * 1000
          : Number.POSITIVE_INFINITY,
    };
  }
}
