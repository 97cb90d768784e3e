import infisical from '@infisical/vite';
import { defineConfig } from 'vite';
import { secretsEndpoint } from './secrets-endpoint.ts';

// Site URL, credentials, project and environment come from the INFISICAL_* variables.
export default defineConfig({
  plugins: [
    // Refetch every 2 s (core's default is every cacheTtl) so a rotation shows up quickly.
    infisical({ refreshInterval: 2 }),
    secretsEndpoint(),
  ],
});
