import type { AccessTokenGrant, AuthMethod } from './auth-method.js';

/**
 * Uses a token you already have: an identity access token (Token Auth) or a legacy service token
 * (`st.…`). No login call is made and the token is never renewed. Env: `INFISICAL_TOKEN`.
 */
export function accessToken(token: string): AuthMethod {
  return {
    name: 'access-token',
    renewable: false,
    login: async (): Promise<AccessTokenGrant> => ({
      accessToken: token,
      expiresIn: 0,
      accessTokenMaxTTL: 0,
    }),
  };
}
