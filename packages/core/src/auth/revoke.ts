/**
 * Revoking an access token (`POST /api/v1/auth/token/revoke`): one attempt within a short time
 * limit, never an error, so closing a client can always finish.
 *
 * @module
 */
import { fetchWithTimeout } from '../api/fetch-with-timeout.js';
import type { Logger } from '../api/logger.js';

/** The longest a revoke waits for the server when a client closes. */
export const REVOKE_TIMEOUT_MS = 2000;

/** The revoke call of `token` against `baseUrl` (the token travels in the body, never in the URL). */
export function revokeRequest(baseUrl: string, token: string): { url: string; init: RequestInit } {
  return {
    url: `${baseUrl}/api/v1/auth/token/revoke`,
    init: {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ accessToken: token }),
    },
  };
}

/**
 * Revokes `token` with one attempt of at most `timeoutMs`. Never throws; resolves `true` when
 * the server confirmed. Logs the outcome (never the token).
 */
export async function revokeToken(
  fetchFn: typeof fetch,
  baseUrl: string,
  token: string,
  timeoutMs: number,
  logger: Logger,
): Promise<boolean> {
  const { url, init } = revokeRequest(baseUrl, token);
  const outcome = await fetchWithTimeout(fetchFn, url, init, timeoutMs);
  const revoked = outcome.ok && outcome.status >= 200 && outcome.status < 300;
  logger.debug(revoked ? 'Infisical access token revoked' : 'Infisical token revoke failed', {
    ...(outcome.ok ? { status: outcome.status } : { reason: outcome.reason }),
  });
  return revoked;
}
