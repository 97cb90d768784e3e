import {
  type AccessTokenGrant,
  type AuthContext,
  type AuthMethod,
  identityLogin,
} from './auth-method.js';

/** Universal Auth credentials of a machine identity. */
export interface UniversalAuthCredentials {
  /** Client id. Env: `INFISICAL_UNIVERSAL_AUTH_CLIENT_ID`. */
  clientId: string;
  /** Client secret. Env: `INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET`. */
  clientSecret: string;
}

/** Logs in with a client id and secret (`POST /api/v1/auth/universal-auth/login`). */
export function universalAuth(credentials: UniversalAuthCredentials): AuthMethod {
  const { clientId, clientSecret } = credentials;
  return {
    name: 'universal-auth',
    renewable: true,
    login: (context: AuthContext): Promise<AccessTokenGrant> =>
      identityLogin(
        context,
        'Universal Auth',
        '/api/v1/auth/universal-auth/login',
        { clientId, clientSecret },
        'check the client id and client secret (INFISICAL_UNIVERSAL_AUTH_CLIENT_ID / INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET) and that the identity has Universal Auth enabled.',
      ),
  };
}
