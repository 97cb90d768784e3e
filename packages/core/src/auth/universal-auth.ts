/**
 * Universal Auth: a machine identity's client id and secret. Built into the main entry.
 *
 * @module
 */
import { checkOptionNames } from '../config/option-names.js';
import {
  type AccessTokenGrant,
  type AuthContext,
  type AuthMethod,
  identityLogin,
} from './auth-method.js';
import { invalidOption, optionsObject } from './machine-login.js';

/** Universal Auth credentials of a machine identity. */
export interface UniversalAuthCredentials {
  /** Client id. Env: `INFISICAL_UNIVERSAL_AUTH_CLIENT_ID`. */
  clientId: string;
  /** Client secret. Env: `INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET`. */
  clientSecret: string;
}

const METHOD = 'Universal Auth';

/**
 * Logs in with a client id and secret (`POST /api/v1/auth/universal-auth/login`).
 *
 * @throws InfisicalError `CONFIG_INVALID` for an unknown field or an empty id or secret.
 */
export function universalAuth(credentials: UniversalAuthCredentials): AuthMethod {
  const given = optionsObject(credentials, METHOD);
  checkOptionNames(given, ['clientId', 'clientSecret'], 'auth.universalAuth');
  const clientId = requiredString(given.clientId, 'clientId');
  const clientSecret = requiredString(given.clientSecret, 'clientSecret');
  return {
    name: 'universal-auth',
    renewable: true,
    fleetIdentity: () => ({
      id: `universal-auth:${clientId}`,
      secret: `${clientId}\u0000${clientSecret}`,
    }),
    login: (context: AuthContext): Promise<AccessTokenGrant> =>
      identityLogin(
        context,
        METHOD,
        '/api/v1/auth/universal-auth/login',
        { clientId, clientSecret },
        'check the client id and client secret (INFISICAL_UNIVERSAL_AUTH_CLIENT_ID / INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET) and that the identity has Universal Auth enabled.',
      ),
  };
}

function requiredString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidOption(
      METHOD,
      `auth.universalAuth.${name} must be a non-empty string`,
      `pass the ${name} of the machine identity`,
    );
  }
  return value.trim();
}
