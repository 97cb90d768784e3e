/**
 * `@infisical/core`: a small, dependency-free Infisical client — authentication, the secrets and
 * folders API, a TTL cache with stale-if-error and change events, AES-256-GCM symmetric crypto,
 * and the loader every framework adapter calls. Runs on Node, Bun, Deno and edge runtimes.
 *
 * @module @infisical/core
 */

export type { Folder } from './api/folders.js';
export type { Logger } from './api/logger.js';
export type { RetryOptions } from './api/retry.js';
export type { BatchSecret, BatchUpdateMode, SecretWriteFields } from './api/secrets.js';
export { accessToken } from './auth/access-token.js';
export type { AccessTokenGrant, AuthContext, AuthMethod } from './auth/auth-method.js';
export {
  type AwsCredentials,
  type AwsIamAuthOptions,
  type AwsMetadataEndpoints,
  awsIamAuth,
} from './auth/aws-iam.js';
export { type AzureAuthOptions, azureAuth } from './auth/azure.js';
export {
  type GcpIamAuthOptions,
  type GcpIamEndpoints,
  type GcpServiceAccountKey,
  gcpIamAuth,
} from './auth/gcp-iam.js';
export { type GcpIdTokenAuthOptions, gcpIdTokenAuth } from './auth/gcp-id-token.js';
export { type JwtLoginOptions, jwtAuth, oidcAuth } from './auth/jwt-auth.js';
export { type KubernetesAuthOptions, kubernetesAuth } from './auth/kubernetes.js';
export type { AuthMethodOptions, AuthOptions } from './auth/resolve-auth.js';
export { type UniversalAuthCredentials, universalAuth } from './auth/universal-auth.js';
export type { FolderQuery, NormalizedFolderQuery } from './cache/folder-cache.js';
export { type CacheEntry, type CacheStore, MemoryStore } from './cache/store.js';
export {
  type GetSecretOptions,
  InfisicalClient,
  type ListSecretsOptions,
  type SecretsChange,
} from './client/infisical-client.js';
export type { InfisicalClientOptions } from './client/options.js';
export {
  createSymmetricKey,
  decryptSymmetric,
  encryptSymmetric,
  type SymmetricCiphertext,
} from './crypto/symmetric.js';
export {
  InfisicalError,
  type InfisicalErrorCauseJSON,
  type InfisicalErrorCode,
  type InfisicalErrorFields,
  type InfisicalErrorJSON,
  type InfisicalErrorOptions,
  isInfisicalError,
} from './errors/infisical-error.js';
export type {
  FleetOptions,
  Lease,
  SharedBus,
  SharedCache,
  SharedEntry,
  SharedLocks,
  SharedTokens,
} from './fleet/types.js';
export {
  type ConsoleLike,
  type ConsoleMethod,
  type ConsoleRedactor,
  installConsoleRedaction,
} from './leaks/console-redaction.js';
export type { LeakForm } from './leaks/forms.js';
export { type LeakCheckOptions, leakCheckSettings } from './leaks/leak-check-options.js';
export { type LeakOutcome, leakError, leakOutcome } from './leaks/leak-error.js';
export {
  createRedactor,
  type Redactor,
  type RedactorOptions,
  type RedactorSource,
} from './leaks/redactor.js';
export type { LeakFinding, LeakMatch, LeakReport } from './leaks/report.js';
export {
  createLeakScanner,
  type LeakBaselineText,
  type LeakScanner,
  type LeakScannerOptions,
} from './leaks/scanner.js';
export type {
  KeyedValues,
  LeakCredential,
  LeakValueKind,
  LeakValueOptions,
} from './leaks/values.js';
export { type InjectEnvOptions, injectEnv } from './loader/env-injection.js';
export {
  createPublicFilter,
  type ExposureOptions,
  partitionByExposure,
} from './loader/exposure.js';
export type { LeakCheckValues } from './loader/leak-values.js';
export { maskSecret } from './loader/mask.js';
export type { InfisicalSecretKeys, SchemaKeys, SecretKey } from './loader/secret-keys.js';
export {
  createSecrets,
  type KeysOf,
  loadSecrets,
  type ParsedOf,
  type Secrets,
  type SecretsChangeEvent,
  type SecretsOptions,
  type SecretsSource,
  type SecretsState,
  type SecretsSummary,
} from './loader/secrets-handle.js';
export type { StandardSchemaV1 } from './loader/standard-schema.js';
export { checkRequired, type SchemaIssue, validateWithSchema } from './loader/validation.js';
export {
  checkReceiverOptions,
  createWebhookReceiver,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookDelivery,
  type WebhookOutcome,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './push/webhook-receiver.js';
export {
  DEFAULT_WEBHOOK_TOLERANCE_MS,
  type InfisicalWebhookPayload,
  type VerifyWebhookInput,
  verifyInfisicalWebhook,
  type WebhookRejection,
} from './push/webhook-signature.js';
export type { ResolvedScope, Secret, SecretScope, SecretType } from './secrets/types.js';
export type { SecretValues } from './secrets/value-map.js';
export type { SnapshotOptions, SnapshotStore } from './snapshot/snapshot-options.js';
