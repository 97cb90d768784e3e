/**
 * An Infisical-compatible local server: the Infisical HTTP API (Universal Auth and the AWS, GCP,
 * Azure, Kubernetes, OIDC and JWT machine-identity logins, secrets v3 raw and v4, folders,
 * environments, imports, tags, projects, client secrets) over real HTTP, as the newest server or
 * the 2024-10 release answers, seeded from a file, with stand-ins for the cloud metadata and
 * token services those logins call, a token-protected test-control API for fault injection,
 * request counters, reset, rotation, the clock and minting cloud credentials, and a web UI over it.
 *
 * @module @infisical/emulator
 */

export type { LoginResponse } from './auth/tokens.js';
export type { ClientSecretView } from './auth/universal-auth.js';
export type {
  GcpServiceAccountKeyFile,
  KubernetesTokenInput,
  OidcTokenInput,
} from './cloud/cloud-state.js';
export type { Fault, FaultSpec } from './control/faults.js';
export type { LoggedRequest, RequestStats } from './control/request-log.js';
export {
  type AccessOptions,
  type CloudEndpoints,
  DEMO_SEED_FILE,
  Emulator,
  type EmulatorOptions,
  resolveSeed,
  type SetSecretInput,
  startEmulator,
} from './emulator.js';
export { loadSeedFile, parseSeed, parseSeedText, SeedError } from './seed/load.js';
export type { CloudSeed, Role, Seed, SeedInput } from './seed/schema.js';
export { DataFileError } from './state/persistence.js';
export {
  BEHAVIOUR_ROWS,
  type BehaviourRow,
  type Behaviours,
  behavioursFor,
  isServerVersion,
  SERVER_VERSIONS,
  type ServerVersion,
} from './versions/behaviours.js';
export { renderVersionTable } from './versions/table.js';
