import { defaultClientConditions, defaultServerConditions } from 'vite';
import type { ViteUserConfig } from 'vitest/config';

/** Resolve `@infisical/*` workspace packages to their TypeScript source, so tests need no build. */
export const sourceResolution: ViteUserConfig = {
  resolve: { conditions: ['@infisical/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@infisical/source', ...defaultServerConditions] } },
};
