/**
 * OIDC auth and JWT auth: log in with a JWT from an identity provider (GitHub Actions, GitLab CI,
 * an OIDC issuer, or any issuer whose keys the identity trusts), given directly or read from a
 * file at each login.
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';
import { type EnvCredential, envCredential } from '../runtime/env.js';
import {
  checkToken,
  type MachineLoginFactory,
  machineLogin,
  optionalString,
  readToken,
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

/** The JWT variable of OIDC auth and JWT auth (the identity id variable is in the methods table); `_FILE` names a file. */
const JWT_VARIABLES = { oidc: 'INFISICAL_OIDC_AUTH_JWT', jwt: 'INFISICAL_JWT_AUTH_JWT' } as const;

/** The declaration both methods share: a JWT from the options, a variable, or a file read at each login. */
function jwtLogin(
  key: 'oidc' | 'jwt',
  path: string,
  hint: string,
): MachineLoginFactory<JwtLoginOptions> {
  const variable = JWT_VARIABLES[key];
  const method = key === 'oidc' ? 'OIDC auth' : 'JWT auth';
  return machineLogin<JwtLoginOptions>({
    key,
    name: key,
    path,
    optionNames: ['identityId', 'jwt', 'jwtFilePath'],
    hint,
    prepare(opts, env) {
      const optionJwt = optionalString(opts.jwt, 'jwt', method);
      const optionFile = optionalString(opts.jwtFilePath, 'jwtFilePath', method);
      // Options first, as a pair: a file option beats a JWT from the environment.
      const fromEnv =
        optionJwt === undefined && optionFile === undefined
          ? envCredential(env, variable)
          : undefined;
      const jwt = optionJwt ?? fromEnv?.value;
      if (jwt === undefined && optionFile === undefined && fromEnv === undefined) {
        throw new InfisicalError(
          'CREDENTIALS_UNAVAILABLE',
          `${method} needs a JWT. Fix: pass jwt or jwtFilePath, or set ${variable} or ${variable}_FILE.`,
        );
      }
      if (jwt !== undefined)
        checkToken(jwt, 'The JWT', 'pass the token exactly as the identity provider issued it');
      return async () => ({
        jwt:
          jwt ??
          (optionFile === undefined
            ? await readToken(fromEnv as EnvCredential)
            : await readTokenFile(optionFile, `${method} JWT`)),
      });
    },
  });
}

/**
 * Logs in with OIDC auth (`POST /api/v1/auth/oidc-auth/login`, `{ identityId, jwt }`).
 *
 * @param env - where the `INFISICAL_OIDC_AUTH_*` variables are read. @default `process.env`
 * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` without an identity id or a JWT source.
 */
export const oidcAuth: MachineLoginFactory<JwtLoginOptions> = /* @__PURE__ */ jwtLogin(
  'oidc',
  '/api/v1/auth/oidc-auth/login',
  'check that the identity id is right, that the identity has OIDC auth, that the token is ' +
    "current, and that its issuer, subject, audience and claims match the identity's bindings.",
);

/**
 * Logs in with JWT auth (`POST /api/v1/auth/jwt-auth/login`, `{ identityId, jwt }`).
 *
 * @param env - where the `INFISICAL_JWT_AUTH_*` variables are read. @default `process.env`
 * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` without an identity id or a JWT source.
 */
export const jwtAuth: MachineLoginFactory<JwtLoginOptions> = /* @__PURE__ */ jwtLogin(
  'jwt',
  '/api/v1/auth/jwt-auth/login',
  "check that the identity id is right, that the identity has JWT auth trusting the token's " +
    "signing key, that the token is current, and that its claims match the identity's bindings.",
);
