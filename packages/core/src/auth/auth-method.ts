/**
 * The contract every login method fulfils, and the login call they share.
 *
 * @module
 */
import type { Logger } from '../api/logger.js';
import type { Transport } from '../api/transport.js';
import { InfisicalError, isInfisicalError } from '../errors/infisical-error.js';

/** What every Infisical login (and renew) answers. */
export interface AccessTokenGrant {
  /** The bearer token. */
  accessToken: string;
  /** Seconds the token lives; 0 means it does not expire. */
  expiresIn: number;
  /** Seconds of the identity's max-TTL budget from the first login; 0 means no limit. */
  accessTokenMaxTTL: number;
}

/** What a login method may use: the API transport, `fetch` for cloud metadata, a logger. */
export interface AuthContext {
  transport: Transport;
  fetch: typeof fetch;
  logger: Logger;
}

/** A way to obtain an Infisical access token. */
export interface AuthMethod {
  /** Short name for logs and errors, e.g. `universal-auth`. */
  readonly name: string;
  /** Whether tokens can be renewed through `/api/v1/auth/token/renew` (false for a fixed token). */
  readonly renewable: boolean;
  /** Obtains a fresh token. */
  login(context: AuthContext): Promise<AccessTokenGrant>;
  /**
   * Who logs in, for a fleet's key (`fleet` option): an id naming the identity, and the secret
   * every instance shares (a client secret, a fixed token), or no secret when instances share
   * none (cloud methods: the fleet then needs `fleet.key`). Without it, likewise.
   */
  fleetIdentity?(): { id: string; secret: string | undefined };
}

/**
 * Posts a machine-identity login and maps a refusal to `AUTH_FAILED`: 401/403, and 404 (the
 * identity does not exist or has no such auth method). The body holds credentials, so it is never
 * logged or put in an error.
 */
export async function identityLogin(
  context: AuthContext,
  method: string,
  path: string,
  body: Record<string, unknown>,
  hint: string,
): Promise<AccessTokenGrant> {
  try {
    const grant = await context.transport.request<AccessTokenGrant>({
      method: 'POST',
      path,
      body,
      idempotent: true,
    });
    if (typeof grant?.accessToken !== 'string' || grant.accessToken === '') {
      throw new InfisicalError(
        'HTTP_ERROR',
        `The ${method} login answer holds no accessToken. Fix: check that siteUrl points at the Infisical API.`,
        { method: 'POST', path },
      );
    }
    return {
      accessToken: grant.accessToken,
      expiresIn: Number(grant.expiresIn) || 0,
      accessTokenMaxTTL: Number(grant.accessTokenMaxTTL) || 0,
    };
  } catch (error) {
    if (
      isInfisicalError(error) &&
      (error.code === 'UNAUTHORIZED' ||
        error.code === 'PERMISSION_DENIED' ||
        error.code === 'NOT_FOUND')
    ) {
      const reason =
        error.code === 'NOT_FOUND'
          ? `404): the identity does not exist or has no ${method} configured`
          : `${error.status})`;
      throw new InfisicalError(
        'AUTH_FAILED',
        `Infisical refused the ${method} login (${reason}. Fix: ${hint}`,
        { cause: error, status: error.status, requestId: error.requestId, method: 'POST', path },
      );
    }
    throw error;
  }
}
