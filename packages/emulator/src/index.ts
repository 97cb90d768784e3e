/**
 * An Infisical-compatible local server: the Infisical HTTP API (Universal Auth, secrets v3 raw and
 * v4, folders, environments) over real HTTP, seeded from a file, with a test-control API for
 * fault injection, request counters, reset and rotation.
 *
 * @module @infisical/emulator
 */

export type { LoginResponse } from './auth/tokens.js';
export type { Fault, FaultSpec } from './control/faults.js';
export type { LoggedRequest, RequestStats } from './control/request-log.js';
export {
  DEMO_SEED_FILE,
  Emulator,
  type EmulatorOptions,
  resolveSeed,
  type SetSecretInput,
  startEmulator,
} from './emulator.js';
export { loadSeedFile, parseSeed, parseSeedText, SeedError } from './seed/load.js';
export type { Role, Seed, SeedInput } from './seed/schema.js';
