import { register as registerInfisical } from '@infisical/next/runtime';
import { infisicalOptions } from './infisical.config';

/** Loads the secrets when the server starts (also with output: 'standalone'); no-op on Edge. */
export async function register(): Promise<void> {
  await registerInfisical(infisicalOptions);
}
