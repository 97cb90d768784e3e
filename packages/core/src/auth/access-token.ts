/**
 * A token you already have (Token Auth, or a legacy service token). Built into the main entry.
 *
 * @module
 */
import type { AccessTokenGrant, AuthMethod } from './auth-method.js';
import { invalidOption } from './machine-login.js';

/**
 * Uses a token you already have: an identity access token (Token Auth) or a legacy service token
 * (`st.…`). No login call is made and the token is never renewed. Env: `INFISICAL_TOKEN`.
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
  return {
    name: 'access-token',
    renewable: false,
    fleetIdentity: () => ({ id: 'access-token', secret: value }),
    login: async (): Promise<AccessTokenGrant> => ({
      accessToken: value,
      expiresIn: 0,
      accessTokenMaxTTL: 0,
    }),
  };
}
