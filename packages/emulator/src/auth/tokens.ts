/**
 * Identity access tokens as the server's token service handles them: issue on login, check on
 * every request (JWT, then the stored token: uses limit and TTL, each failure deleting it),
 * renew within the max TTL, revoke. The lifetime model and the renew answer follow the server
 * version's behaviours.
 *
 * @module auth/tokens
 */
import { badRequest, tokenError, unauthorized } from '../http/api-error.js';
import type { Clock } from '../state/clock.js';
import { newId } from '../state/ids.js';
import type { AccessToken, Identity } from '../state/model.js';
import type { Store } from '../state/store.js';
import type { Behaviours } from '../versions/behaviours.js';
import { credentialDigest } from './constant-time.js';
import { JwtError, type JwtSigner } from './jwt.js';

/** The server-side cap on any token's lifetime (`MAX_MACHINE_IDENTITY_TOKEN_AGE`): 10 years. */
const MAX_TOKEN_AGE = 315360000;
const IDENTITY_TOKEN = 'identityAccessToken';

/** Token settings an auth method applies when it logs an identity in. */
export interface TokenPolicy {
  accessTokenTTL: number;
  accessTokenMaxTTL: number;
  accessTokenNumUsesLimit: number;
}

/** The login / renew answer, identical for every auth method. */
export interface LoginResponse {
  accessToken: string;
  expiresIn: number;
  accessTokenMaxTTL: number;
  tokenType: 'Bearer';
}

/** The caller of an authenticated request. */
export interface Actor {
  identity: Identity;
  tokenId?: string;
}

/** Issues, checks, renews and revokes identity access tokens. */
export class TokenService {
  readonly #store: Store;
  readonly #signer: JwtSigner;
  readonly #clock: Clock;
  readonly #behaviours: Pick<Behaviours, 'tokenLifetime' | 'renewIssuesNewToken'>;
  /**
   * SHA-256 of each seeded literal token → its identity: a request's token is hashed and its digest
   * looked up, so no comparison ever runs over the tokens' text.
   */
  readonly #staticTokens = new Map<string, Identity>();

  constructor(
    store: Store,
    signer: JwtSigner,
    clock: Clock,
    behaviours: Pick<Behaviours, 'tokenLifetime' | 'renewIssuesNewToken'>,
  ) {
    this.#store = store;
    this.#signer = signer;
    this.#clock = clock;
    this.#behaviours = behaviours;
    for (const identity of store.identities()) {
      for (const token of identity.accessTokens)
        this.#staticTokens.set(credentialDigest(token), identity);
    }
  }

  /** Issues a token for an identity (every login method ends here). */
  issue(
    identity: Identity,
    policy: TokenPolicy,
    clientSecretId: string | null = null,
  ): LoginResponse {
    const token: AccessToken = {
      id: newId(),
      identityId: identity.id,
      clientSecretId,
      createdAt: this.#clock.now(),
      lastRenewedAt: null,
      accessTokenTTL: policy.accessTokenTTL,
      accessTokenMaxTTL: policy.accessTokenMaxTTL,
      numUsesLimit: policy.accessTokenNumUsesLimit,
      numUses: 0,
    };
    this.#store.tokens.put(token);
    return {
      accessToken: this.#jwt(token),
      expiresIn: policy.accessTokenTTL,
      accessTokenMaxTTL: policy.accessTokenMaxTTL,
      tokenType: 'Bearer',
    };
  }

  /** Renews a token: refused (and the token deleted) when the TTL would pass the max TTL. */
  renew(accessToken: string): LoginResponse {
    const claims = this.#verify(accessToken);
    if (claims.authTokenType !== IDENTITY_TOKEN)
      throw badRequest('Only identity access tokens can be renewed');
    const token = this.#stored(claims);
    this.#checkLifetime(token);
    const now = this.#clock.now();
    if (token.accessTokenMaxTTL > 0) {
      const expiresAt = token.createdAt + token.accessTokenMaxTTL * 1000;
      if (now > expiresAt) {
        this.#store.tokens.delete(token.id);
        throw unauthorized('Failed to renew MI access token due to Max TTL expiration');
      }
      if (now + token.accessTokenTTL * 1000 > expiresAt) {
        this.#store.tokens.delete(token.id);
        throw unauthorized('Failed to renew MI access token past its Max TTL expiration');
      }
    }
    token.lastRenewedAt = now;
    return {
      accessToken: this.#behaviours.renewIssuesNewToken ? this.#jwt(token) : accessToken,
      expiresIn: token.accessTokenTTL,
      accessTokenMaxTTL: token.accessTokenMaxTTL,
      tokenType: 'Bearer',
    };
  }

  /** Revokes the token behind a JWT. */
  revoke(accessToken: string): void {
    const claims = this.#verify(accessToken);
    if (claims.authTokenType !== IDENTITY_TOKEN)
      throw unauthorized('Only identity access tokens can be revoked');
    this.#store.tokens.delete(this.#stored(claims).id);
  }

  /** Authenticates a request's `Authorization` header and counts one use of the token. */
  authenticate(header: string | undefined): Actor {
    if (!header) throw unauthorized('Token missing');
    // The server takes everything after the first seven characters ("Bearer ").
    const bearer = header.slice(7);
    const literal = this.#staticTokens.get(credentialDigest(bearer));
    if (literal) return { identity: literal };
    const claims = this.#verify(bearer);
    if (claims.authTokenType !== IDENTITY_TOKEN) throw unauthorized('Token missing');
    const token = this.#stored(claims);
    this.#checkLifetime(token);
    token.numUses++;
    const identity = this.#store.identity(token.identityId);
    if (!identity) throw badRequest('Identity does not belong to any organization');
    return { identity, tokenId: token.id };
  }

  /** Uses limit and TTL, as checked on every request and renew; a failure deletes the token. */
  #checkLifetime(token: AccessToken): void {
    if (token.numUsesLimit > 0 && token.numUses > 0 && token.numUses >= token.numUsesLimit) {
      this.#store.tokens.delete(token.id);
      throw unauthorized('Unable to renew because access token number of uses limit reached');
    }
    if (token.accessTokenTTL > 0) {
      const since = token.lastRenewedAt ?? token.createdAt;
      if (this.#clock.now() > since + token.accessTokenTTL * 1000) {
        this.#store.tokens.delete(token.id);
        throw unauthorized('Failed to renew MI access token due to TTL expiration');
      }
    }
  }

  #stored(claims: Record<string, unknown>): AccessToken {
    const token = this.#store.tokens.get(String(claims.identityAccessTokenId));
    if (!token) throw unauthorized('No identity access token found');
    return token;
  }

  #verify(jwt: string): Record<string, unknown> {
    try {
      return this.#signer.verify(jwt);
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      throw tokenError(
        {
          missing: 'jwt must be provided',
          expired: 'Your token has expired. Please re-authenticate.',
          malformed:
            'The provided access token is malformed. Please use a valid token or generate a new one and try again.',
          invalid: 'invalid token',
          signature: 'invalid signature',
        }[error.reason],
      );
    }
  }

  #jwt(token: AccessToken): string {
    const lifetime =
      this.#behaviours.tokenLifetime === 'jwt-max-ttl'
        ? token.accessTokenMaxTTL
        : remainingTtl(token, this.#clock.now());
    return this.#signer.sign(
      {
        identityId: token.identityId,
        ...(token.clientSecretId ? { clientSecretId: token.clientSecretId } : {}),
        identityAccessTokenId: token.id,
        authTokenType: IDENTITY_TOKEN,
      },
      lifetime,
    );
  }
}

/** The smallest of the TTL, the remaining max-TTL budget and the server's max age (seconds). */
function remainingTtl(token: AccessToken, now: number): number {
  const candidates = [MAX_TOKEN_AGE];
  if (token.accessTokenTTL > 0) candidates.push(token.accessTokenTTL);
  if (token.accessTokenMaxTTL > 0)
    candidates.push(Math.floor((token.createdAt + token.accessTokenMaxTTL * 1000 - now) / 1000));
  return Math.max(1, Math.min(...candidates));
}
