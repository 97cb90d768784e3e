/**
 * A token you already have (Token Auth, or a legacy service token). Built into the main entry.
 *
 * @module
 */
import type { EnvCredential } from '../runtime/env.js';
import type { AccessTokenGrant, AuthMethod } from './auth-method.js';
import { withKeyMaterial } from './key-material.js';
import { invalidOption, readToken } from './machine-login.js';

/**
 * Uses a token you already have: an identity access token (Token Auth) or a legacy service token
 * (`st.…`). No login call is made, the token is never renewed, and `close()` never revokes it.
 * Env: `INFISICAL_TOKEN` (or `INFISICAL_TOKEN_FILE`).
 *
 * @throws InfisicalError `CONFIG_INVALID` for an empty token.
 */
export function accessToken(token: string): AuthMethod {
  if (typeof token !== 'string' || token.trim() === '') {
    throw invalidOption(
      'access token',
      'auth.accessToken must be a non-empty string',
      'pass the token, or set INFISICAL_TOKEN',
    );
  }
  const value = token.trim();
  return fixedToken(async () => value, value);
}

/** The token of `INFISICAL_TOKEN`, or of the file `INFISICAL_TOKEN_FILE` names (read at login). */
export function accessTokenFromEnv(token: EnvCredential): AuthMethod {
  if (token.value !== undefined) return accessToken(token.value);
  return fixedToken(() => readToken(token), undefined);
}

/**
 * @param known - the token when it is known now: the fleet's key derives from it; a token read
 * from a file at login shares none (the fleet then needs `fleet.key`).
 */
function fixedToken(token: () => Promise<string>, known: string | undefined): AuthMethod {
  const method: AuthMethod = {
    name: 'access-token',
    renewable: false,
    fleetIdentity: () => ({ id: 'access-token', secret: known }),
    login: async (): Promise<AccessTokenGrant> => ({
      accessToken: await token(),
      expiresIn: 0,
      accessTokenMaxTTL: 0,
    }),
  };
  return withKeyMaterial(method, async () => [await token()]);
}
