/**
 * Universal Auth: a machine identity's client id and secret. Built into the main entry.
 *
 * @module
 */
import { checkOptionNames } from '../config/option-names.js';
import type { EnvCredential } from '../runtime/env.js';
import {
  type AccessTokenGrant,
  type AuthContext,
  type AuthMethod,
  identityLogin,
} from './auth-method.js';
import { withKeyMaterial } from './key-material.js';
import { invalidOption, optionsObject } from './machine-login.js';

/** Universal Auth credentials of a machine identity. */
export interface UniversalAuthCredentials {
  /** Client id. Env: `INFISICAL_UNIVERSAL_AUTH_CLIENT_ID` (or `_CLIENT_ID_FILE`). */
  clientId: string;
  /** Client secret. Env: `INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET` (or `_CLIENT_SECRET_FILE`). */
  clientSecret: string;
}

const METHOD = 'Universal Auth';
const HINT =
  'check the client id and client secret (INFISICAL_UNIVERSAL_AUTH_CLIENT_ID / INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, or their _FILE variants) and that the identity has Universal Auth enabled.';

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
  return universalAuthMethod(async () => [clientId, clientSecret], [clientId, clientSecret]);
}

/**
 * Universal Auth from environment credentials: either may come from a `*_FILE` variable, whose
 * file is read at each login (a rotated mounted secret is picked up).
 */
export function universalAuthFromEnv(
  clientId: EnvCredential,
  clientSecret: EnvCredential,
): AuthMethod {
  const known =
    clientId.value !== undefined && clientSecret.value !== undefined
      ? ([clientId.value, clientSecret.value] as const)
      : undefined;
  return universalAuthMethod(async () => [await clientId.read(), await clientSecret.read()], known);
}

/** @param known - the id and secret when known now (not read from files at login), for the fleet's key. */
function universalAuthMethod(
  credentials: () => Promise<readonly [string, string]>,
  known: readonly [string, string] | undefined,
): AuthMethod {
  const method: AuthMethod = {
    name: 'universal-auth',
    renewable: true,
    // Credentials read from files at login share no secret known now: the fleet needs fleet.key.
    fleetIdentity: () =>
      known
        ? { id: `universal-auth:${known[0]}`, secret: `${known[0]}\u0000${known[1]}` }
        : { id: 'universal-auth:from-files', secret: undefined },
    async login(context: AuthContext): Promise<AccessTokenGrant> {
      const [clientId, clientSecret] = await credentials();
      return identityLogin(
        context,
        METHOD,
        '/api/v1/auth/universal-auth/login',
        { clientId, clientSecret },
        HINT,
      );
    },
  };
  return withKeyMaterial(method, credentials);
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
