/**
 * Universal Auth: login with a client id and one of the identity's client secrets, and the
 * client-secret management routes (create with a uses limit and TTL, list, get, revoke). A
 * used-up or expired client secret is revoked by the login that finds it so; tokens already
 * issued with a client secret keep working after it is revoked.
 *
 * @module auth/universal-auth
 */
import { randomBytes } from 'node:crypto';
import { badRequest, notFound, serverError, unauthorized } from '../http/api-error.js';
import type { Clock } from '../state/clock.js';
import { newId } from '../state/ids.js';
import type { ClientSecret, Identity } from '../state/model.js';
import type { Store } from '../state/store.js';
import { credentialDigest, digestsEqual } from './constant-time.js';
import type { LoginResponse, TokenService } from './tokens.js';

/** A client secret as the management routes show it (never the secret or its hash). */
export interface ClientSecretView {
  id: string;
  createdAt: string;
  updatedAt: string;
  description: string;
  clientSecretPrefix: string;
  clientSecretNumUses: number;
  clientSecretNumUsesLimit: number;
  clientSecretTTL: number;
  identityUAId: string;
  isClientSecretRevoked: boolean;
}

/** What creating a client secret takes. */
export interface ClientSecretInput {
  description: string;
  numUsesLimit: number;
  ttl: number;
}

/** Universal Auth logins and client secrets. */
export class UniversalAuthService {
  readonly #store: Store;
  readonly #tokens: TokenService;
  readonly #clock: Clock;

  constructor(store: Store, tokens: TokenService, clock: Clock) {
    this.#store = store;
    this.#tokens = tokens;
    this.#clock = clock;
  }

  /** `POST /api/v1/auth/universal-auth/login`. */
  login(clientId: string, clientSecret: string): LoginResponse {
    const identity = this.#store.identityByClientId(clientId);
    const ua = identity?.universalAuth;
    if (!identity || !ua) throw notFound('No identity with specified client ID was found');
    const match = this.#match(identity.id, clientSecret);
    if (!match) throw unauthorized('Invalid credentials');
    const spent = this.#spent(match);
    if (spent) {
      this.#update(match, { revoked: true });
      throw unauthorized(
        spent === 'expired'
          ? 'Access denied due to expired client secret'
          : 'Access denied due to client secret usage limit reached',
      );
    }
    this.#update(match, { numUses: match.numUses + 1 });
    return this.#tokens.issue(identity, ua, match.id);
  }

  /**
   * The first of `candidates` (client secrets in clear) that would log the identity in now, or
   * `undefined`; nothing changes (no use is counted, nothing is revoked).
   */
  usableClientSecret(identityId: string, candidates: readonly string[]): string | undefined {
    return candidates.find((candidate) => {
      const match = this.#match(identityId, candidate);
      return match !== undefined && this.#spent(match) === undefined;
    });
  }

  /** The identity's unrevoked client secret with this value: every stored digest is compared, in constant time. */
  #match(identityId: string, clientSecret: string): ClientSecret | undefined {
    const given = credentialDigest(clientSecret);
    let match: ClientSecret | undefined;
    for (const candidate of this.#store.identityClientSecrets(identityId)) {
      if (digestsEqual(given, candidate.hash) && !candidate.revoked) match ??= candidate;
    }
    return match;
  }

  /** Why a matching client secret can no longer log in (a login then revokes it), if it cannot. */
  #spent(secret: ClientSecret): 'expired' | 'used-up' | undefined {
    if (secret.ttl > 0 && this.#clock.now() > Date.parse(secret.createdAt) + secret.ttl * 1000)
      return 'expired';
    if (secret.numUsesLimit > 0 && secret.numUses === secret.numUsesLimit) return 'used-up';
    return undefined;
  }

  /** Creates a client secret; the secret itself is only in this answer. */
  create(
    identityId: string,
    input: ClientSecretInput,
  ): { clientSecret: string; clientSecretData: ClientSecretView } {
    const identity = this.#universalAuthIdentity(identityId);
    const secret = randomBytes(32).toString('hex');
    const at = this.#clock.iso();
    const record: ClientSecret = {
      id: newId(),
      identityId: identity.id,
      description: input.description,
      hash: credentialDigest(secret),
      prefix: secret.slice(0, 4),
      numUses: 0,
      numUsesLimit: input.numUsesLimit,
      ttl: input.ttl,
      revoked: false,
      createdAt: at,
      updatedAt: at,
    };
    this.#store.putClientSecret(record);
    return { clientSecret: secret, clientSecretData: this.#view(identity, record) };
  }

  /** The client secrets that can still log in (not revoked, used up or expired by a login). */
  list(identityId: string): ClientSecretView[] {
    const identity = this.#universalAuthIdentity(identityId);
    return this.#store
      .identityClientSecrets(identity.id)
      .filter((secret) => !secret.revoked)
      .map((secret) => this.#view(identity, secret));
  }

  /** One client secret (also a revoked one); an unknown id fails the server's response schema (500). */
  get(identityId: string, clientSecretId: string): ClientSecretView {
    const identity = this.#universalAuthIdentity(identityId);
    const secret = this.#store.clientSecret(clientSecretId);
    if (!secret) throw serverError();
    return this.#view(identity, secret);
  }

  /** Revokes a client secret (again, if it already is); tokens it issued keep working. */
  revoke(identityId: string, clientSecretId: string): ClientSecretView {
    const identity = this.#universalAuthIdentity(identityId);
    const secret = this.#store.clientSecret(clientSecretId);
    if (!secret) throw serverError();
    this.#update(secret, { revoked: true });
    return this.#view(identity, secret);
  }

  #universalAuthIdentity(
    identityId: string,
  ): Identity & { universalAuth: NonNullable<Identity['universalAuth']> } {
    const identity = this.#store.identity(identityId);
    if (!identity) throw notFound('Failed to find identity');
    if (!identity.universalAuth) throw badRequest('The identity does not have universal auth');
    return identity as Identity & { universalAuth: NonNullable<Identity['universalAuth']> };
  }

  #update(secret: ClientSecret, changes: Partial<ClientSecret>): void {
    Object.assign(secret, changes, { updatedAt: this.#clock.iso() });
    this.#store.putClientSecret(secret);
  }

  #view(
    identity: Identity & { universalAuth: NonNullable<Identity['universalAuth']> },
    secret: ClientSecret,
  ): ClientSecretView {
    return {
      id: secret.id,
      createdAt: secret.createdAt,
      updatedAt: secret.updatedAt,
      description: secret.description,
      clientSecretPrefix: secret.prefix,
      clientSecretNumUses: secret.numUses,
      clientSecretNumUsesLimit: secret.numUsesLimit,
      clientSecretTTL: secret.ttl,
      identityUAId: identity.universalAuth.id,
      isClientSecretRevoked: secret.revoked,
    };
  }
}
