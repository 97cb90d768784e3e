/**
 * OIDC auth and JWT auth: log in with a JWT from an identity provider (GitHub Actions, GitLab CI,
 * an OIDC issuer, or any issuer whose keys the identity trusts), given directly or read from a
 * file at each login.
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';
import { type EnvSource, envValue, processEnv } from '../runtime/env.js';
import {
  type AccessTokenGrant,
  type AuthContext,
  type AuthMethod,
  identityLogin,
} from './auth-method.js';
import {
  checkToken,
  identityIdFrom,
  optionalString,
  optionsObject,
  readTokenFile,
} from './machine-login.js';

/** Options of {@link oidcAuth} and {@link jwtAuth}. */
export interface JwtLoginOptions {
  /**
   * Id of the machine identity.
   * Env: `INFISICAL_OIDC_AUTH_IDENTITY_ID` (OIDC) / `INFISICAL_JWT_AUTH_IDENTITY_ID` (JWT).
   */
  identityId?: string;
  /**
   * The JWT itself. Takes precedence over the file.
   * Env: `INFISICAL_OIDC_AUTH_JWT` / `INFISICAL_JWT_AUTH_JWT`.
   */
  jwt?: string;
  /**
   * Path of a file holding the JWT, read at each login (such tokens are short-lived).
   * Env: `INFISICAL_OIDC_AUTH_JWT_FILE` / `INFISICAL_JWT_AUTH_JWT_FILE`.
   */
  jwtFilePath?: string;
}

/** Environment variables of OIDC auth. */
export const OIDC_ENV = {
  identityId: 'INFISICAL_OIDC_AUTH_IDENTITY_ID',
  jwt: 'INFISICAL_OIDC_AUTH_JWT',
  jwtFile: 'INFISICAL_OIDC_AUTH_JWT_FILE',
} as const;

/** Environment variables of JWT auth. */
export const JWT_ENV = {
  identityId: 'INFISICAL_JWT_AUTH_IDENTITY_ID',
  jwt: 'INFISICAL_JWT_AUTH_JWT',
  jwtFile: 'INFISICAL_JWT_AUTH_JWT_FILE',
} as const;

interface Flavour {
  method: string;
  name: string;
  path: string;
  env: { identityId: string; jwt: string; jwtFile: string };
  hint: string;
}

const OIDC: Flavour = {
  method: 'OIDC auth',
  name: 'oidc',
  path: '/api/v1/auth/oidc-auth/login',
  env: OIDC_ENV,
  hint:
    'check that the identity id is right, that the identity has OIDC auth, that the token is ' +
    "current, and that its issuer, subject, audience and claims match the identity's bindings.",
};

const JWT: Flavour = {
  method: 'JWT auth',
  name: 'jwt',
  path: '/api/v1/auth/jwt-auth/login',
  env: JWT_ENV,
  hint:
    "check that the identity id is right, that the identity has JWT auth trusting the token's " +
    "signing key, that the token is current, and that its claims match the identity's bindings.",
};

/**
 * Logs in with OIDC auth (`POST /api/v1/auth/oidc-auth/login`, `{ identityId, jwt }`).
 *
 * @param env - where the `INFISICAL_OIDC_AUTH_*` variables are read. @default `process.env`
 * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` without an identity id or a JWT source.
 */
export function oidcAuth(options: JwtLoginOptions = {}, env: EnvSource = processEnv()): AuthMethod {
  return jwtLogin(OIDC, options, env);
}

/**
 * Logs in with JWT auth (`POST /api/v1/auth/jwt-auth/login`, `{ identityId, jwt }`).
 *
 * @param env - where the `INFISICAL_JWT_AUTH_*` variables are read. @default `process.env`
 * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` without an identity id or a JWT source.
 */
export function jwtAuth(options: JwtLoginOptions = {}, env: EnvSource = processEnv()): AuthMethod {
  return jwtLogin(JWT, options, env);
}

function jwtLogin(flavour: Flavour, options: JwtLoginOptions, env: EnvSource): AuthMethod {
  const opts = optionsObject(options, flavour.method);
  const identityId = identityIdFrom(opts.identityId, env, flavour.env.identityId, flavour.method);
  const optionJwt = optionalString(opts.jwt, 'jwt', flavour.method);
  const optionFile = optionalString(opts.jwtFilePath, 'jwtFilePath', flavour.method);
  // Options first, as a pair: a file option beats a JWT from the environment.
  const jwt = optionJwt ?? (optionFile === undefined ? envValue(env, flavour.env.jwt) : undefined);
  const file = optionFile ?? envValue(env, flavour.env.jwtFile);
  if (jwt === undefined && file === undefined) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `${flavour.method} needs a JWT. Fix: pass jwt or jwtFilePath, or set ${flavour.env.jwt} or ${flavour.env.jwtFile}.`,
    );
  }
  if (jwt !== undefined)
    checkToken(jwt, 'The JWT', 'pass the token exactly as the identity provider issued it');
  return {
    name: flavour.name,
    renewable: true,
    async login(context: AuthContext): Promise<AccessTokenGrant> {
      const token = jwt ?? (await readTokenFile(file as string, `${flavour.method} JWT`));
      return identityLogin(
        context,
        flavour.method,
        flavour.path,
        { identityId, jwt: token },
        flavour.hint,
      );
    },
  };
}
