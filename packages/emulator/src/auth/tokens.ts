import { tokenError, unauthorized } from '../http/api-error.js';
import { newId } from '../state/ids.js';
import type { AccessToken, Identity } from '../state/model.js';
import type { Store } from '../state/store.js';
import { safeEqual } from './constant-time.js';
import { JwtError, type JwtSigner } from './jwt.js';

/** The server-side cap on any token's lifetime (`MAX_MACHINE_IDENTITY_TOKEN_AGE`): 10 years. */
const MAX_TOKEN_AGE = 315360000;

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

/** Issues, renews, revokes and checks identity access tokens, as the server's token service. */
export class TokenService {
  constructor(
    private readonly store: Store,
    private readonly signer: JwtSigner,
  ) {}

  /** Issues a token for an identity (every login method ends here). */
  issue(identity: Identity, policy: TokenPolicy): LoginResponse {
    const token: AccessToken = {
      id: newId(),
      identityId: identity.id,
      createdAt: Date.now(),
      accessTokenTTL: policy.accessTokenTTL,
      accessTokenMaxTTL: policy.accessTokenMaxTTL,
      numUsesLimit: policy.accessTokenNumUsesLimit,
      numUses: 0,
      revoked: false,
    };
    this.store.tokens.set(token.id, token);
    const ttl = issuedTtl(token, token.createdAt);
    return {
      accessToken: this.#jwt(token, ttl),
      expiresIn: policy.accessTokenTTL,
      accessTokenMaxTTL: policy.accessTokenMaxTTL,
      tokenType: 'Bearer',
    };
  }

  /** Renews: a new JWT for the same token id, its TTL capped by the remaining max-TTL budget. */
  renew(accessToken: string): LoginResponse {
    const token = this.#tokenOf(accessToken);
    if (token.numUsesLimit > 0 && token.numUses >= token.numUsesLimit) {
      throw unauthorized('Cannot renew exhausted access token');
    }
    const now = Date.now();
    const ttl = issuedTtl(token, now);
    if (ttl <= 0) throw unauthorized('Cannot renew: identity access token has reached its max TTL');
    return {
      accessToken: this.#jwt(token, ttl),
      expiresIn: ttl,
      accessTokenMaxTTL: token.accessTokenMaxTTL,
      tokenType: 'Bearer',
    };
  }

  /** Revokes the token behind a JWT. */
  revoke(accessToken: string): void {
    this.#tokenOf(accessToken).revoked = true;
  }

  /** Authenticates a request's `Authorization` header; counts one use of the token. */
  authenticate(header: string | undefined): Actor {
    const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
    if (!match) throw unauthorized('Token missing');
    const bearer = (match[1] as string).trim();
    for (const identity of this.store.identities.values()) {
      if (identity.accessTokens.some((token) => safeEqual(bearer, token))) return { identity };
    }
    const token = this.#tokenOf(bearer);
    if (token.numUsesLimit > 0 && token.numUses >= token.numUsesLimit) {
      throw unauthorized('Access token has reached its number of uses limit');
    }
    token.numUses++;
    const identity = this.store.identities.get(token.identityId);
    if (!identity) throw unauthorized('Identity does not belong to any organization');
    return { identity, tokenId: token.id };
  }

  #tokenOf(jwt: string): AccessToken {
    let claims: Record<string, unknown>;
    try {
      claims = this.signer.verify(jwt);
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      if (error.reason === 'expired')
        throw tokenError('Your token has expired. Please re-authenticate.');
      if (error.reason === 'signature') throw tokenError('invalid signature');
      throw tokenError(
        'The provided access token is malformed. Please use a valid token or generate a new one and try again.',
      );
    }
    if (claims.authTokenType !== 'identityAccessToken')
      throw unauthorized('Failed to authenticate');
    const token = this.store.tokens.get(String(claims.identityAccessTokenId));
    if (!token || token.revoked)
      throw unauthorized('Failed to authenticate: the access token was revoked');
    return token;
  }

  #jwt(token: AccessToken, ttl: number): string {
    return this.signer.sign(
      {
        identityId: token.identityId,
        identityAccessTokenId: token.id,
        authTokenType: 'identityAccessToken',
      },
      ttl,
    );
  }
}

/** The smallest of the token TTL, the remaining max-TTL budget and the server's max age (seconds). */
function issuedTtl(token: AccessToken, now: number): number {
  const candidates = [MAX_TOKEN_AGE];
  if (token.accessTokenTTL > 0) candidates.push(token.accessTokenTTL);
  if (token.accessTokenMaxTTL > 0) {
    candidates.push(Math.floor((token.createdAt + token.accessTokenMaxTTL * 1000 - now) / 1000));
  }
  return Math.min(...candidates);
}
