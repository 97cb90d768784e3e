/**
 * The shapes the store holds: projects, environments, folders, tags, secrets with their
 * versions, imports, identities, Universal Auth client secrets and access tokens.
 *
 * @module state/model
 */
import type {
  AwsAuthConfig,
  AzureAuthConfig,
  GcpAuthConfig,
  JwtAuthConfig,
  KubernetesAuthConfig,
  Role,
} from '../seed/schema.js';

/** A project (workspace). */
export interface Project {
  id: string;
  slug: string;
  name: string;
  orgId: string;
  createdAt: string;
  updatedAt: string;
}

/** An environment of a project. */
export interface Environment {
  id: string;
  projectId: string;
  slug: string;
  name: string;
  position: number;
  createdAt: string;
  updatedAt: string;
}

/** A folder; every environment has a root folder at `/` (named `root`). */
export interface Folder {
  id: string;
  projectId: string;
  envId: string;
  environment: string;
  /** The full path, `/` for the root; kept in step with the names of the folder and its parents. */
  path: string;
  name: string;
  parentId: string | null;
  description: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A project tag that secrets can carry. */
export interface Tag {
  id: string;
  projectId: string;
  slug: string;
  color: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  createdByActorType: string;
}

/** The fields of a secret that a version records. */
export interface SecretFields {
  key: string;
  value: string;
  comment: string;
  tagIds: string[];
  skipMultilineEncoding: boolean;
  reminderNote: string | null;
  reminderRepeatDays: number | null;
  metadata: { key: string; value: string; isEncrypted: boolean }[];
}

/** A stored secret (shared, or personal to one user) with its version history. */
export interface Secret extends SecretFields {
  id: string;
  projectId: string;
  folderId: string;
  type: 'shared' | 'personal';
  userId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Earlier versions, oldest first; the current one is the secret itself. */
  history: SecretVersion[];
}

/** An earlier version of a secret. */
export interface SecretVersion extends SecretFields {
  version: number;
  updatedAt: string;
}

/** "Folder X imports environment E, path P", at a position among the folder's imports. */
export interface SecretImport {
  id: string;
  folderId: string;
  /** The slug of the imported environment (same project). */
  environment: string;
  path: string;
  position: number;
  createdAt: string;
  updatedAt: string;
}

/** Universal Auth settings of an identity. */
export interface UniversalAuth {
  /** The id of the identity's Universal Auth configuration (`identityUAId`). */
  id: string;
  clientId: string;
  accessTokenTTL: number;
  accessTokenMaxTTL: number;
  accessTokenNumUsesLimit: number;
}

/** A Universal Auth client secret of an identity; only its hash is kept. */
export interface ClientSecret {
  id: string;
  identityId: string;
  description: string;
  /** SHA-256 of the secret, hex. */
  hash: string;
  prefix: string;
  numUses: number;
  numUsesLimit: number;
  /** Seconds from creation; 0 for no limit. */
  ttl: number;
  revoked: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A machine identity, or a user when `user` is set (users can have personal secrets). */
export interface Identity {
  id: string;
  name: string;
  user: boolean;
  universalAuth?: UniversalAuth;
  /** AWS IAM auth: allowed accounts and principal ARNs. */
  awsAuth?: AwsAuthConfig;
  /** GCP auth (ID token `gce` or `iam`): allowed service accounts, projects, zones. */
  gcpAuth?: GcpAuthConfig;
  /** Azure auth: tenant, resource, allowed principal ids. */
  azureAuth?: AzureAuthConfig;
  /** Kubernetes auth: allowed namespaces, service account names, audience. */
  kubernetesAuth?: KubernetesAuthConfig;
  /** OIDC auth bindings. */
  oidcAuth?: JwtAuthConfig;
  /** JWT auth bindings. */
  jwtAuth?: JwtAuthConfig;
  /** Literal bearer tokens accepted for this identity (token auth). */
  accessTokens: string[];
  /** Role per project id. */
  roles: Map<string, Role>;
}

/** An issued identity access token. */
export interface AccessToken {
  id: string;
  identityId: string;
  /** The client secret a Universal Auth login used, if any. */
  clientSecretId: string | null;
  /** ms epoch. */
  createdAt: number;
  /** ms epoch of the last renew, or null. */
  lastRenewedAt: number | null;
  accessTokenTTL: number;
  accessTokenMaxTTL: number;
  numUsesLimit: number;
  numUses: number;
}
