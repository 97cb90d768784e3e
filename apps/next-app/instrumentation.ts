import { register as registerInfisical } from '@infisical/next/runtime';
import { runtimeOptions } from './infisical.config';
import { trackSecrets } from './lib/secrets-status';

/** Loads the secrets when the server starts (also with output: 'standalone'); no-op on Edge. */
export async function register(): Promise<void> {
  await registerInfisical(runtimeOptions);
  if (process.env.NEXT_RUNTIME === 'nodejs') trackSecrets();
}
