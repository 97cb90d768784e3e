import infisical from '@infisical/vite';
import { defineConfig } from 'vite';

// Site URL, credentials, project and environment come from the INFISICAL_* variables.
export default defineConfig({
  plugins: [
    // Refetch every 2 s on the dev server (default 10) so a rotation shows up quickly.
    infisical({ refreshInterval: 2 }),
  ],
});
