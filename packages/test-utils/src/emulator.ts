import { DEMO_SEED_FILE, type Emulator, type SeedInput, startEmulator } from '@infisical/emulator';

/** The demo project (the bundled demo seed) every example app reads. */
export const DEMO_PROJECT_ID = '6f0b6a5e-8d4b-4f0e-9c59-2d3c1a7e0001';

/** The demo seed's app identity. */
export const DEMO_CREDENTIALS = {
  clientId: 'demo-client-id',
  clientSecret: 'demo-client-secret',
} as const;

/** Starts an emulator on a free port with the demo seed (or another seed). */
export function startDemoEmulator(seed: SeedInput | string = DEMO_SEED_FILE): Promise<Emulator> {
  return startEmulator({ port: 0, seed });
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
