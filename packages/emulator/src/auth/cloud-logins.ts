/**
 * The machine-identity logins that prove a cloud or IdP identity (AWS IAM, GCP ID token and IAM,
 * Azure, Kubernetes, OIDC, JWT): each checks the presented credential against the cloud
 * stand-ins and the identity's bindings, with the server's messages, then issues a token.
 *
 * @module auth/cloud-logins
 */
import type { CloudState, IssuedTokenCheck } from '../cloud/cloud-state.js';
import { audiences, decodeJwt, globMatch } from '../cloud/rs256.js';
import { arnAllowed, principalArn, verifyGetCallerIdentity } from '../cloud/sts.js';
import { ApiError, notFound, tokenError, unauthorized } from '../http/api-error.js';
import type { JwtAuthConfig } from '../seed/schema.js';
import type { Identity } from '../state/model.js';
import type { Store } from '../state/store.js';
import type { LoginResponse, TokenService } from './tokens.js';

/** A login that presents a signed JWT (GCP, Azure, Kubernetes, OIDC, JWT). */
export interface JwtLoginInput {
  identityId: string;
  jwt: string;
}

/** An AWS IAM login: a signed STS `GetCallerIdentity` request, base64-encoded. */
export interface AwsLoginInput {
  identityId: string;
  iamHttpRequestMethod: string;
  iamRequestBody: string;
  iamRequestHeaders: string;
}

type Method = 'awsAuth' | 'gcpAuth' | 'azureAuth' | 'kubernetesAuth' | 'oidcAuth' | 'jwtAuth';

const LABEL: Record<Method, string> = {
  awsAuth: 'AWS',
  gcpAuth: 'GCP',
  azureAuth: 'Azure',
  kubernetesAuth: 'Kubernetes',
  oidcAuth: 'OIDC',
  jwtAuth: 'JWT',
};

/**
 * The identity and its settings for a login method, or the server's 404 ("<X> auth method not
 * found for identity, did you configure <X> auth?"), answered alike for an unknown identity id.
 */
function configOf<M extends Method>(
  store: Store,
  identityId: string,
  method: M,
): { identity: Identity; config: NonNullable<Identity[M]> } {
  const identity = store.identity(identityId);
  const config = identity?.[method];
  if (!identity || !config) {
    throw notFound(
      `${LABEL[method]} auth method not found for identity, did you configure ${LABEL[method]} auth?`,
    );
  }
  return { identity, config: config as NonNullable<Identity[M]> };
}

/** The 403 `TokenError` the server's error handler makes of a `jsonwebtoken` failure. */
function jsonWebTokenError(check: Exclude<IssuedTokenCheck, { ok: true }>): ApiError {
  if (check.reason === 'expired')
    return tokenError('Your token has expired. Please re-authenticate.');
  if (check.reason === 'malformed') {
    return tokenError(
      'The provided access token is malformed. Please use a valid token or generate a new one and try again.',
    );
  }
  if (check.reason === 'early') return tokenError('jwt not active');
  return tokenError('invalid signature');
}

/** The `jsonwebtoken` message of a verification failure (OIDC and JWT auth quote it). */
function jwtMessage(check: Exclude<IssuedTokenCheck, { ok: true }>): string {
  return {
    expired: 'jwt expired',
    early: 'jwt not active',
    malformed: 'jwt malformed',
    kid: 'invalid signature',
    signature: 'invalid signature',
  }[check.reason];
}

/** The cloud and IdP logins, over the store, the cloud stand-ins and the token service. */
export class CloudLoginService {
  readonly #store: Store;
  readonly #cloud: CloudState;
  readonly #tokens: TokenService;

  constructor(store: Store, cloud: CloudState, tokens: TokenService) {
    this.#store = store;
    this.#cloud = cloud;
    this.#tokens = tokens;
  }
  /** AWS IAM: the STS answer for the signed request must be an allowed account and principal. */
  aws(body: AwsLoginInput): LoginResponse {
    const { identity, config } = configOf(this.#store, body.identityId, 'awsAuth');
    const account = verifyGetCallerIdentity(body, this.#cloud);
    if (
      config.allowedAccountIds.length > 0 &&
      !config.allowedAccountIds.includes(account.accountId)
    ) {
      throw unauthorized('Access denied: AWS account ID not allowed.');
    }
    if (
      config.allowedPrincipalArns.length > 0 &&
      !config.allowedPrincipalArns.some((pattern) => arnAllowed(pattern, account.arn))
    ) {
      throw unauthorized(
        `Access denied: AWS principal ARN not allowed. [principal-arn=${principalArn(account.arn)}]`,
      );
    }
    return this.#tokens.issue(identity, config);
  }

  /** GCP: a GCE identity token (`gce`) or a service account's signed JWT (`iam`). */
  gcp(body: JwtLoginInput): LoginResponse {
    const { identity, config } = configOf(this.#store, body.identityId, 'gcpAuth');
    let email: string;
    if (config.type === 'gce') {
      const check = this.#cloud.verifyIssued(body.jwt, 'gce');
      if (!check.ok) {
        // google-auth-library's messages (the real server lets them through unmapped).
        const message = {
          malformed: 'Wrong number of segments in token',
          kid: 'No pem found for envelope',
          signature: 'Invalid token signature',
          expired: 'Token used too late',
          early: 'Token used too early',
        }[check.reason];
        throw unauthorized(message);
      }
      const { claims } = check;
      if (claims.iss !== 'https://accounts.google.com') {
        throw unauthorized('Invalid issuer, expected one of [https://accounts.google.com]');
      }
      if (!audiences(claims).includes(body.identityId)) {
        throw unauthorized('Wrong recipient, payload audience != requiredAudience');
      }
      if (typeof claims.email !== 'string') throw unauthorized('Unauthorized');
      email = claims.email;
      const engine = (
        claims.google as { compute_engine?: { project_id?: string; zone?: string } } | undefined
      )?.compute_engine;
      if (
        config.allowedProjects.length > 0 &&
        engine &&
        !config.allowedProjects.includes(engine.project_id ?? '')
      ) {
        throw unauthorized('Access denied: GCP project not allowed.');
      }
      if (
        config.allowedZones.length > 0 &&
        engine &&
        !config.allowedZones.includes(engine.zone ?? '')
      ) {
        throw unauthorized('Access denied: GCP zone not allowed.');
      }
    } else {
      const jwt = decodeJwt(body.jwt);
      if (!jwt) throw jsonWebTokenError({ ok: false, reason: 'malformed' });
      const sub = jwt.claims.sub;
      if (
        typeof sub !== 'string' ||
        !/^[a-z0-9-]+@[a-z0-9-]+\.iam\.gserviceaccount\.com$/.test(sub) ||
        !this.#cloud.serviceAccount(sub)
      ) {
        throw unauthorized('Invalid service account identifier');
      }
      const check = this.#cloud.verifyServiceAccountJwt(sub, jwt);
      if (!check.ok) throw jsonWebTokenError(check);
      if (jwt.claims.aud !== body.identityId)
        throw unauthorized('Invalid audience in GCP IAM Token');
      email = sub;
    }
    if (
      config.allowedServiceAccounts.length > 0 &&
      !config.allowedServiceAccounts.includes(email)
    ) {
      throw unauthorized('Access denied: GCP service account not allowed.');
    }
    return this.#tokens.issue(identity, config);
  }

  /** Azure: a managed-identity token for the configured resource and tenant. */
  azure(body: JwtLoginInput): LoginResponse {
    const { identity, config } = configOf(this.#store, body.identityId, 'azureAuth');
    const check = this.#cloud.verifyIssued(body.jwt, 'azure');
    if (!check.ok) {
      if (check.reason === 'kid') throw unauthorized('Invalid signing key');
      throw jsonWebTokenError(check);
    }
    const aud = typeof check.claims.aud === 'string' ? check.claims.aud : '';
    // The server drops the resource's trailing slash when the token's aud has none.
    const resource =
      !aud.endsWith('/') && config.resource.endsWith('/')
        ? config.resource.slice(0, -1)
        : config.resource;
    if (aud !== resource) throw tokenError(`jwt audience invalid. expected: ${resource}`);
    const tenantId = config.tenantId ?? this.#cloud.azureTenantId;
    const issuer = `https://sts.windows.net/${tenantId}/`;
    if (check.claims.iss !== issuer) throw tokenError(`jwt issuer invalid. expected: ${issuer}`);
    const principal = typeof check.claims.oid === 'string' ? check.claims.oid : '';
    if (config.allowedPrincipalIds.length > 0 && !config.allowedPrincipalIds.includes(principal)) {
      throw unauthorized('Access denied: Azure service principal not allowed.');
    }
    return this.#tokens.issue(identity, config);
  }

  /** Kubernetes: a service-account token, checked as a TokenReview would. */
  kubernetes(body: JwtLoginInput): LoginResponse {
    const { identity, config } = configOf(this.#store, body.identityId, 'kubernetesAuth');
    // TokenReview: what the API server answers for this token.
    const review = (error: string): ApiError =>
      new ApiError(401, 'KubernetesTokenReviewError', `[invalid bearer token, ${error}]`);
    const check = this.#cloud.verifyIssued(body.jwt, 'kubernetes');
    if (!check.ok) {
      if (check.reason === 'expired') throw review('service account token has expired');
      if (check.reason === 'early') throw review('service account token is not valid yet');
      throw review('square/go-jose: error in cryptographic primitive, token lookup failed');
    }
    const { claims } = check;
    const k8s = claims['kubernetes.io'] as
      | { namespace?: string; serviceaccount?: { name?: string } }
      | undefined;
    const namespace = k8s?.namespace ?? '';
    const name = k8s?.serviceaccount?.name ?? '';
    if (
      claims.iss !== this.#cloud.kubernetesIssuer ||
      !this.#cloud.kubernetesServiceAccount(namespace, name)
    ) {
      throw review(`serviceaccounts "${name}" not found`);
    }
    if (
      config.allowedAudience !== undefined &&
      !audiences(claims).includes(config.allowedAudience)
    ) {
      throw review(
        `token audiences ${JSON.stringify(audiences(claims))} is invalid for the target audiences ["${config.allowedAudience}"]`,
      );
    }
    if (
      config.allowedNamespaces.length > 0 &&
      !config.allowedNamespaces.some((pattern) => globMatch(pattern, namespace))
    ) {
      throw unauthorized('Access denied: K8s namespace not allowed.');
    }
    if (
      config.allowedServiceAccounts.length > 0 &&
      !config.allowedServiceAccounts.some((pattern) => globMatch(pattern, name))
    ) {
      throw unauthorized('Access denied: K8s name not allowed.');
    }
    return this.#tokens.issue(identity, config);
  }

  /** OIDC: a JWT of the emulator's issuer, matched against the bound claims. */
  oidc(body: JwtLoginInput): LoginResponse {
    const { identity, config } = configOf(this.#store, body.identityId, 'oidcAuth');
    if (!decodeJwt(body.jwt)) throw unauthorized('Invalid JWT');
    const check = this.#cloud.verifyIssued(body.jwt, 'oidc');
    if (!check.ok) {
      if (check.reason === 'kid') {
        const kid = String(decodeJwt(body.jwt)?.header.kid ?? '').slice(0, 64);
        throw unauthorized(
          `Access denied: Unable to verify JWT signature. The signing key '${kid}' was not found in the OIDC provider's JWKS endpoint. This may indicate an invalid token or misconfigured OIDC provider.`,
        );
      }
      throw unauthorized(`Access denied: ${jwtMessage(check)}`);
    }
    const { claims } = check;
    if (config.boundIssuer !== undefined && claims.iss !== config.boundIssuer) {
      throw unauthorized(`Access denied: jwt issuer invalid. expected: ${config.boundIssuer}`);
    }
    if (
      config.boundSubject !== undefined &&
      !globMatch(config.boundSubject, String(claims.sub ?? ''))
    ) {
      throw new ApiError(403, 'ForbiddenError', 'Access denied: OIDC subject not allowed.');
    }
    if (!audienceAllowed(config, claims))
      throw unauthorized('Access denied: OIDC audience not allowed.');
    const claim = failedClaim(config, claims);
    if (claim !== undefined)
      throw new ApiError(403, 'ForbiddenError', 'Access denied: OIDC claim not allowed.');
    return this.#tokens.issue(identity, config);
  }

  /** JWT auth: a JWT of the emulator's issuer, matched against the bound claims. */
  jwt(body: JwtLoginInput): LoginResponse {
    const { identity, config } = configOf(this.#store, body.identityId, 'jwtAuth');
    if (!decodeJwt(body.jwt)) throw unauthorized('Invalid JWT');
    const check = this.#cloud.verifyIssued(body.jwt, 'oidc');
    if (!check.ok) {
      throw unauthorized(
        `Access denied: JWT verification failed with all keys. Errors - ${jwtMessage(check)}`,
      );
    }
    const { claims } = check;
    if (config.boundIssuer !== undefined && claims.iss !== config.boundIssuer) {
      throw new ApiError(403, 'ForbiddenError', 'Access denied: issuer mismatch');
    }
    if (config.boundSubject !== undefined) {
      if (typeof claims.sub !== 'string' || claims.sub === '')
        throw unauthorized('Access denied: token has no subject field');
      if (!globMatch(config.boundSubject, claims.sub)) {
        throw new ApiError(403, 'ForbiddenError', 'Access denied: subject not allowed');
      }
    }
    if (config.boundAudiences.length > 0) {
      if (audiences(claims).length === 0)
        throw unauthorized('Access denied: token has no audience field');
      if (!audienceAllowed(config, claims))
        throw unauthorized('Access denied: token audience not allowed');
    }
    const claim = failedClaim(config, claims);
    if (claim !== undefined) {
      throw unauthorized(
        claim.missing
          ? `Access denied: token has no ${claim.key} field`
          : `Access denied: claim mismatch for field ${claim.key}`,
      );
    }
    return this.#tokens.issue(identity, config);
  }
}

function audienceAllowed(config: JwtAuthConfig, claims: Record<string, unknown>): boolean {
  if (config.boundAudiences.length === 0) return true;
  const given = audiences(claims);
  return config.boundAudiences.some((pattern) => given.some((aud) => globMatch(pattern, aud)));
}

/** The first bound claim the token lacks or does not match (dot paths reach nested claims). */
function failedClaim(
  config: JwtAuthConfig,
  claims: Record<string, unknown>,
): { key: string; missing: boolean } | undefined {
  for (const [key, allowed] of Object.entries(config.boundClaims)) {
    const value = key
      .split('.')
      .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], claims);
    if (value === undefined || value === null || value === '') return { key, missing: true };
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    const patterns = allowed.split(',').map((entry) => entry.trim());
    if (!patterns.some((pattern) => values.some((candidate) => globMatch(pattern, candidate)))) {
      return { key, missing: false };
    }
  }
  return undefined;
}
