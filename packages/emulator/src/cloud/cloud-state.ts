/**
 * The state of the cloud stand-ins: the seed's AWS accounts, GCP service accounts and their keys,
 * the RS256 issuers (GCE, Azure, Kubernetes, OIDC), and the sessions they hand out (IMDSv2 tokens
 * and Google OAuth access tokens, kept by SHA-256 digest, never as text).
 *
 * @module cloud/cloud-state
 */
import { randomBytes } from 'node:crypto';
import { credentialDigest } from '../auth/constant-time.js';
import type { CloudSeed } from '../seed/schema.js';
import { stableId } from '../state/ids.js';
import {
  type DecodedJwt,
  decodeJwt,
  generateRsaKeyPair,
  keyFingerprint,
  pkcs8Pem,
  type RsaKeyPair,
  rsaKeyPairFromPem,
  signRs256,
  timeProblem,
  verifyRs256,
} from './rs256.js';

/** An AWS principal of the seed, known to the STS stand-in. */
export type AwsAccount = NonNullable<CloudSeed['aws']>['accounts'][number];
/** A GCP service account of the seed. */
export type GcpServiceAccount = NonNullable<CloudSeed['gcp']>['serviceAccounts'][number];

/** Which stand-in issued a token; each signs with its own key id and issuer. */
export type IssuerKind = 'gce' | 'azure' | 'kubernetes' | 'oidc';

/** The issuer of the GCE identity tokens. */
export const GOOGLE_ISSUER = 'https://accounts.google.com';
/** Default `iss` of OIDC/JWT tokens minted through the control API. */
export const DEFAULT_OIDC_ISSUER = 'https://oidc.infisical-emulator.local';

/** A GCP service-account JSON key file, as `gcloud iam service-accounts keys create` writes it. */
export interface GcpServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

/** What {@link CloudState.issueKubernetesToken} mints: a projected service-account token. */
export interface KubernetesTokenInput {
  namespace: string;
  name: string;
  /** `aud` of the token. @default [the cluster issuer] */
  audiences?: string[];
  /** Lifetime in seconds; negative mints an already-expired token. @default 3600 */
  expiresIn?: number;
}

/** What {@link CloudState.issueOidcToken} mints. */
export interface OidcTokenInput {
  /** @default 'emulator-subject' */
  sub?: string;
  /** A string or a list. @default 'infisical' */
  aud?: string | string[];
  /** @default 'https://oidc.infisical-emulator.local' */
  iss?: string;
  /** More claims (they cannot override `iat`). */
  claims?: Record<string, unknown>;
  /** Lifetime in seconds; negative mints an already-expired token. @default 3600 */
  expiresIn?: number;
}

/** A verified token of one of the emulator's issuers, or why it is not. */
export type IssuedTokenCheck =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; reason: 'malformed' | 'kid' | 'signature' | 'expired' | 'early' };

interface ServiceAccountKey extends RsaKeyPair {
  keyId: string;
}

/**
 * The cloud side of the emulator: the seed's AWS principals, GCP service accounts, Azure managed
 * identity and Kubernetes service accounts, the keys that sign their tokens, and the short-lived
 * sessions of the metadata stand-ins. Keys are created on first use and survive `reset()`.
 */
export class CloudState {
  readonly seed: CloudSeed;
  #issuer: (RsaKeyPair & { fingerprint: string }) | undefined;
  readonly #serviceAccountKeys = new Map<string, ServiceAccountKey>();
  /** SHA-256 of each IMDSv2 session token → when it expires (looked up by digest). */
  readonly #imdsTokens = new Map<string, number>();
  /** SHA-256 of each Google OAuth access token → its service account and expiry. */
  readonly #gcpAccessTokens = new Map<string, { email: string; expiresAt: number }>();

  constructor(seed: CloudSeed) {
    this.seed = seed;
    for (const account of seed.gcp?.serviceAccounts ?? []) {
      if (account.privateKey === undefined) continue;
      const pair = rsaKeyPairFromPem(account.privateKey);
      this.#serviceAccountKeys.set(account.email, {
        ...pair,
        keyId: account.privateKeyId ?? keyFingerprint(pair.publicKey),
      });
    }
  }

  /** Forgets IMDS session tokens and OAuth access tokens (keys stay). */
  resetSessions(): void {
    this.#imdsTokens.clear();
    this.#gcpAccessTokens.clear();
  }

  // --- AWS -------------------------------------------------------------------------------------

  /** The AWS region the instance metadata reports. */
  get awsRegion(): string {
    return this.seed.aws?.region ?? 'us-east-1';
  }

  /** The principal whose access key id this is. */
  awsAccountByKey(accessKeyId: string): AwsAccount | undefined {
    return this.seed.aws?.accounts.find((account) => account.accessKeyId === accessKeyId);
  }

  /** The principal IMDS serves as the instance profile role. */
  imdsAccount(): AwsAccount | undefined {
    return this.seed.aws?.accounts.find((account) => account.imdsRole !== undefined);
  }

  /** The principal the ECS credentials endpoint serves. */
  ecsAccount(): AwsAccount | undefined {
    return this.seed.aws?.accounts.find((account) => account.ecs);
  }

  /** An IMDSv2 session token living `ttlSeconds`. */
  issueImdsToken(ttlSeconds: number): string {
    const token = randomBytes(30).toString('base64url');
    this.#imdsTokens.set(credentialDigest(token), Date.now() + ttlSeconds * 1000);
    return token;
  }

  /** Whether an IMDSv2 session token is known and current. */
  validImdsToken(token: string | undefined): boolean {
    const expiresAt =
      token === undefined ? undefined : this.#imdsTokens.get(credentialDigest(token));
    return expiresAt !== undefined && expiresAt > Date.now();
  }

  // --- GCP -------------------------------------------------------------------------------------

  /** A seeded service account by email. */
  serviceAccount(email: string): GcpServiceAccount | undefined {
    return this.seed.gcp?.serviceAccounts.find((account) => account.email === email);
  }

  /** The service account attached to the "instance" (GCE metadata `default`). */
  defaultServiceAccount(): GcpServiceAccount | undefined {
    const gcp = this.seed.gcp;
    if (!gcp) return undefined;
    return gcp.defaultServiceAccount
      ? this.serviceAccount(gcp.defaultServiceAccount)
      : gcp.serviceAccounts[0];
  }

  /** The key of a service account (the seed's, or one created on first use). */
  serviceAccountKey(email: string): ServiceAccountKey {
    let key = this.#serviceAccountKeys.get(email);
    if (!key) {
      const pair = generateRsaKeyPair();
      key = { ...pair, keyId: keyFingerprint(pair.publicKey) };
      this.#serviceAccountKeys.set(email, key);
    }
    return key;
  }

  /** The JSON key file of a service account; `tokenUri` is the emulator's OAuth token endpoint. */
  serviceAccountKeyFile(email: string, tokenUri: string): GcpServiceAccountKeyFile {
    const key = this.serviceAccountKey(email);
    const encoded = encodeURIComponent(email);
    return {
      type: 'service_account',
      project_id: this.gcpProjectId(email),
      private_key_id: key.keyId,
      private_key: pkcs8Pem(key.privateKey),
      client_email: email,
      client_id: numericId(email),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: tokenUri,
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encoded}`,
      universe_domain: 'googleapis.com',
    };
  }

  /** The project of a service account (from `…@<project>.iam.gserviceaccount.com`), else the seed's. */
  gcpProjectId(email: string): string {
    const match = /@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(email);
    return match?.[1] ?? this.seed.gcp?.projectId ?? 'emulator-project';
  }

  /** A Google OAuth access token for a service account (one hour). */
  issueGcpAccessToken(email: string): { token: string; expiresIn: number } {
    const token = `ya29.emulator-${randomBytes(24).toString('base64url')}`;
    this.#gcpAccessTokens.set(credentialDigest(token), {
      email,
      expiresAt: Date.now() + 3600_000,
    });
    return { token, expiresIn: 3599 };
  }

  /** The service account a current OAuth access token belongs to. */
  gcpAccessTokenOwner(token: string): string | undefined {
    const entry = this.#gcpAccessTokens.get(credentialDigest(token));
    return entry && entry.expiresAt > Date.now() ? entry.email : undefined;
  }

  /** A GCE metadata identity token for the default service account. */
  issueGceIdentityToken(account: GcpServiceAccount, audience: string, full: boolean): string {
    const id = numericId(account.email);
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: GOOGLE_ISSUER,
      aud: audience,
      azp: id,
      sub: id,
      iat: now,
      exp: now + 3600,
    };
    if (full) {
      const gcp = this.seed.gcp;
      claims.email = account.email;
      claims.email_verified = true;
      claims.google = {
        compute_engine: {
          project_id: gcp?.projectId ?? 'emulator-project',
          project_number: Number(numericId(gcp?.projectId ?? 'emulator-project').slice(0, 12)),
          zone: gcp?.zone ?? 'us-central1-a',
          instance_id: numericId(`instance:${account.email}`).slice(0, 19),
          instance_name: 'emulator-instance',
          instance_creation_timestamp: now - 86400,
        },
      };
    }
    return this.#signIssued('gce', claims);
  }

  /** IAM Credentials `signJwt`: the payload signed with the service account's key. */
  signJwtAs(email: string, payload: Record<string, unknown>): { keyId: string; signedJwt: string } {
    const key = this.serviceAccountKey(email);
    return { keyId: key.keyId, signedJwt: signRs256({ kid: key.keyId }, payload, key.privateKey) };
  }

  /** Verifies a JWT signed with a service account's key (a `signJwt` result or an assertion). */
  verifyServiceAccountJwt(email: string, token: string | DecodedJwt): IssuedTokenCheck {
    const jwt = typeof token === 'string' ? decodeJwt(token) : token;
    if (!jwt) return { ok: false, reason: 'malformed' };
    const key = this.#serviceAccountKeys.get(email);
    if (!key || (jwt.header.kid !== undefined && jwt.header.kid !== key.keyId))
      return { ok: false, reason: 'kid' };
    if (!verifyRs256(jwt, key.publicKey)) return { ok: false, reason: 'signature' };
    const problem = timeProblem(jwt.claims);
    return problem ? { ok: false, reason: problem } : { ok: true, claims: jwt.claims };
  }

  // --- Azure -----------------------------------------------------------------------------------

  /** The tenant of the seed's managed identity. */
  get azureTenantId(): string {
    return this.seed.azure?.tenantId ?? stableId('azure-tenant');
  }

  /** An Azure managed-identity access token for `resource` (24 hours). */
  issueAzureToken(resource: string): { token: string; expiresIn: number; clientId: string } {
    const azure = this.seed.azure;
    if (!azure) throw new Error('the seed has no cloud.azure managed identity');
    const clientId = azure.clientId ?? stableId('azure-client', azure.principalId);
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = 86399;
    const token = this.#signIssued('azure', {
      aud: resource,
      iss: `https://sts.windows.net/${this.azureTenantId}/`,
      iat: now,
      nbf: now,
      exp: now + expiresIn,
      oid: azure.principalId,
      sub: azure.principalId,
      tid: this.azureTenantId,
      appid: clientId,
      appidacr: '2',
      idtyp: 'app',
      xms_mirid: `/subscriptions/${stableId('azure-subscription')}/resourcegroups/emulator/providers/Microsoft.Compute/virtualMachines/emulator-vm`,
    });
    return { token, expiresIn, clientId };
  }

  // --- Kubernetes ------------------------------------------------------------------------------

  /** The cluster's token issuer. */
  get kubernetesIssuer(): string {
    return this.seed.kubernetes?.issuer ?? 'https://kubernetes.default.svc.cluster.local';
  }

  /** Whether the seed has this service account. */
  kubernetesServiceAccount(namespace: string, name: string): { uid: string } | undefined {
    const account = this.seed.kubernetes?.serviceAccounts.find(
      (candidate) => candidate.namespace === namespace && candidate.name === name,
    );
    return account ? { uid: account.uid ?? stableId('k8s-sa', namespace, name) } : undefined;
  }

  /** A projected service-account token, as the kubelet mounts it. */
  issueKubernetesToken(input: KubernetesTokenInput): string {
    const account = this.kubernetesServiceAccount(input.namespace, input.name);
    if (!account) {
      throw new Error(
        `no service account ${input.namespace}/${input.name} in the seed's cloud.kubernetes.serviceAccounts`,
      );
    }
    const now = Math.floor(Date.now() / 1000);
    return this.#signIssued('kubernetes', {
      aud: input.audiences ?? [this.kubernetesIssuer],
      exp: now + (input.expiresIn ?? 3600),
      iat: now,
      nbf: now,
      iss: this.kubernetesIssuer,
      sub: `system:serviceaccount:${input.namespace}:${input.name}`,
      'kubernetes.io': {
        namespace: input.namespace,
        serviceaccount: { name: input.name, uid: account.uid },
      },
    });
  }

  // --- OIDC / JWT ------------------------------------------------------------------------------

  /** An OIDC/JWT-auth token with chosen claims. */
  issueOidcToken(input: OidcTokenInput = {}): string {
    const now = Math.floor(Date.now() / 1000);
    return this.#signIssued('oidc', {
      iss: input.iss ?? DEFAULT_OIDC_ISSUER,
      sub: input.sub ?? 'emulator-subject',
      aud: input.aud ?? 'infisical',
      ...input.claims,
      iat: now,
      exp: now + (input.expiresIn ?? 3600),
    });
  }

  // --- Issuer keys -----------------------------------------------------------------------------

  /** The key id the emulator signs a kind of token with. */
  kidOf(kind: IssuerKind): string {
    return `${kind}-${this.#issuerKey().fingerprint.slice(0, 16)}`;
  }

  /** Verifies a token the emulator issued as `kind`: key id, RS256 signature, `exp` and `nbf`. */
  verifyIssued(token: string, kind: IssuerKind): IssuedTokenCheck {
    const jwt = decodeJwt(token);
    if (!jwt) return { ok: false, reason: 'malformed' };
    if (jwt.header.kid !== undefined && jwt.header.kid !== this.kidOf(kind))
      return { ok: false, reason: 'kid' };
    if (!verifyRs256(jwt, this.#issuerKey().publicKey)) return { ok: false, reason: 'signature' };
    const problem = timeProblem(jwt.claims);
    return problem ? { ok: false, reason: problem } : { ok: true, claims: jwt.claims };
  }

  #signIssued(kind: IssuerKind, claims: Record<string, unknown>): string {
    return signRs256({ kid: this.kidOf(kind) }, claims, this.#issuerKey().privateKey);
  }

  #issuerKey(): RsaKeyPair & { fingerprint: string } {
    if (!this.#issuer) {
      const pair = generateRsaKeyPair();
      this.#issuer = { ...pair, fingerprint: keyFingerprint(pair.publicKey) };
    }
    return this.#issuer;
  }
}

/** A stable 21-digit numeric id (GCP unique ids look like this). */
function numericId(text: string): string {
  const hex = stableId('numeric', text).replace(/-/g, '');
  return (BigInt(`0x${hex}`) % 10n ** 21n).toString().padStart(21, '1');
}
