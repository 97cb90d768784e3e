import { z } from 'zod';
import type { IssuedTokenCheck } from '../cloud/cloud-state.js';
import { audiences, decodeJwt, globMatch } from '../cloud/rs256.js';
import { arnAllowed, principalArn, verifyGetCallerIdentity } from '../cloud/sts.js';
import { ApiError, notFound, tokenError, unauthorized } from '../http/api-error.js';
import type { Router } from '../http/router.js';
import { validate } from '../http/validate.js';
import type { JwtAuthConfig } from '../seed/schema.js';
import type { Identity } from '../state/model.js';
import type { GetServices, Services } from './context.js';

const jwtLoginSchema = z.object({
  identityId: z.string().trim().min(1),
  jwt: z.string().trim().min(1),
  subOrganizationName: z.string().optional(),
  organizationSlug: z.string().optional(),
});

const awsLoginSchema = z.object({
  identityId: z.string().trim().min(1),
  iamHttpRequestMethod: z.string().default('POST'),
  iamRequestBody: z.string(),
  iamRequestHeaders: z.string(),
  organizationSlug: z.string().optional(),
});

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
  s: Services,
  identityId: string,
  method: M,
): { identity: Identity; config: NonNullable<Identity[M]> } {
  const identity = s.store.identities.get(identityId);
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

/** The machine-identity logins that prove a cloud or IdP identity. */
export function registerCloudAuthRoutes(router: Router, services: GetServices): void {
  router.add('POST', '/api/v1/auth/aws-auth/login', (ctx) => {
    const body = validate(awsLoginSchema, ctx.body);
    const s = services();
    const { identity, config } = configOf(s, body.identityId, 'awsAuth');
    const account = verifyGetCallerIdentity(body, s.cloud);
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
    return { body: s.tokens.issue(identity, config) };
  });

  router.add('POST', '/api/v1/auth/gcp-auth/login', (ctx) => {
    const body = validate(jwtLoginSchema, ctx.body);
    const s = services();
    const { identity, config } = configOf(s, body.identityId, 'gcpAuth');
    let email: string;
    if (config.type === 'gce') {
      const check = s.cloud.verifyIssued(body.jwt, 'gce');
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
        !s.cloud.serviceAccount(sub)
      ) {
        throw unauthorized('Invalid service account identifier');
      }
      const check = s.cloud.verifyServiceAccountJwt(sub, jwt);
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
    return { body: s.tokens.issue(identity, config) };
  });

  router.add('POST', '/api/v1/auth/azure-auth/login', (ctx) => {
    const body = validate(jwtLoginSchema, ctx.body);
    const s = services();
    const { identity, config } = configOf(s, body.identityId, 'azureAuth');
    const check = s.cloud.verifyIssued(body.jwt, 'azure');
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
    const tenantId = config.tenantId ?? s.cloud.azureTenantId;
    const issuer = `https://sts.windows.net/${tenantId}/`;
    if (check.claims.iss !== issuer) throw tokenError(`jwt issuer invalid. expected: ${issuer}`);
    const principal = typeof check.claims.oid === 'string' ? check.claims.oid : '';
    if (config.allowedPrincipalIds.length > 0 && !config.allowedPrincipalIds.includes(principal)) {
      throw unauthorized('Access denied: Azure service principal not allowed.');
    }
    return { body: s.tokens.issue(identity, config) };
  });

  router.add('POST', '/api/v1/auth/kubernetes-auth/login', (ctx) => {
    const body = validate(jwtLoginSchema, ctx.body);
    const s = services();
    const { identity, config } = configOf(s, body.identityId, 'kubernetesAuth');
    // TokenReview: what the API server answers for this token.
    const review = (error: string): ApiError =>
      new ApiError(401, 'KubernetesTokenReviewError', `[invalid bearer token, ${error}]`);
    const check = s.cloud.verifyIssued(body.jwt, 'kubernetes');
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
      claims.iss !== s.cloud.kubernetesIssuer ||
      !s.cloud.kubernetesServiceAccount(namespace, name)
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
    return { body: s.tokens.issue(identity, config) };
  });

  router.add('POST', '/api/v1/auth/oidc-auth/login', (ctx) => {
    const body = validate(jwtLoginSchema, ctx.body);
    const s = services();
    const { identity, config } = configOf(s, body.identityId, 'oidcAuth');
    if (!decodeJwt(body.jwt)) throw unauthorized('Invalid JWT');
    const check = s.cloud.verifyIssued(body.jwt, 'oidc');
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
    return { body: s.tokens.issue(identity, config) };
  });

  router.add('POST', '/api/v1/auth/jwt-auth/login', (ctx) => {
    const body = validate(jwtLoginSchema, ctx.body);
    const s = services();
    const { identity, config } = configOf(s, body.identityId, 'jwtAuth');
    if (!decodeJwt(body.jwt)) throw unauthorized('Invalid JWT');
    const check = s.cloud.verifyIssued(body.jwt, 'oidc');
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
    return { body: s.tokens.issue(identity, config) };
  });
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
