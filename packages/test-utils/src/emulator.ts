/**
 * Emulator helpers of the tests: start one on a free port with the demo seed (or another) and the
 * server version the run asks for, and point an app or a loader at it.
 *
 * @module test-utils/emulator
 */
import {
  DEMO_SEED_FILE,
  type Emulator,
  type EmulatorOptions,
  isServerVersion,
  SERVER_VERSIONS,
  type SeedInput,
  type ServerVersion,
  startEmulator,
} from '@infisical/emulator';

/** The variable that picks the server version every test emulator answers as. */
export const SERVER_VERSION_VARIABLE = 'INFISICAL_EMULATOR_SERVER_VERSION';

/**
 * The server version of this test run: `INFISICAL_EMULATOR_SERVER_VERSION`, else `latest`. A value
 * the emulator does not know fails, naming the variable (a typo would otherwise test `latest`).
 */
export function testServerVersion(env: NodeJS.ProcessEnv = process.env): ServerVersion {
  const value = env[SERVER_VERSION_VARIABLE];
  if (value === undefined || value === '') return 'latest';
  if (!isServerVersion(value))
    throw new Error(
      `${SERVER_VERSION_VARIABLE}="${value}" is not a server version the emulator knows; use ${SERVER_VERSIONS.join(' or ')}`,
    );
  return value;
}

/** Starts an emulator on a free port answering as {@link testServerVersion} (options win). */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ port: 0, serverVersion: testServerVersion(), ...options });
}

/** The demo project (the bundled demo seed) every example app reads. */
export const DEMO_PROJECT_ID = '6f0b6a5e-8d4b-4f0e-9c59-2d3c1a7e0001';

/** The demo seed's app identity. */
export const DEMO_CREDENTIALS = {
  clientId: 'demo-client-id',
  clientSecret: 'demo-client-secret',
} as const;

/**
 * Starts an emulator on a free port with the demo seed (or another seed), answering as
 * `serverVersion` (default: {@link testServerVersion}).
 */
export function startDemoEmulator(
  seed: SeedInput | string = DEMO_SEED_FILE,
  options: { serverVersion?: ServerVersion } = {},
): Promise<Emulator> {
  return startTestEmulator({ seed, ...options });
}

/** The environment variables that point an example app at an emulator. */
export function infisicalEnv(
  emulator: Emulator,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    INFISICAL_SITE_URL: emulator.url,
    INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: DEMO_CREDENTIALS.clientId,
    INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret,
    INFISICAL_PROJECT_ID: DEMO_PROJECT_ID,
    INFISICAL_ENVIRONMENT: 'dev',
    ...extra,
  };
}

/** Loader options pointing at an emulator with the demo identity, project and `dev`; nothing is read from `process.env`. */
export function demoLoadOptions(siteUrl: string): {
  siteUrl: string;
  auth: { universalAuth: { clientId: string; clientSecret: string } };
  projectId: string;
  environment: string;
  env: Record<string, string | undefined>;
} {
  return {
    siteUrl,
    auth: { universalAuth: { ...DEMO_CREDENTIALS } },
    projectId: DEMO_PROJECT_ID,
    environment: 'dev',
    env: {},
  };
}
