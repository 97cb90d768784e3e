import { defaultClientConditions } from 'vite';
import type { ViteUserConfig } from 'vitest/config';

/**
 * Resolve `@infisical/*` workspace packages to their TypeScript source, so tests need no build.
 * Server-side resolution uses Node's own conditions (no `module`), so dependencies load the files
 * Node itself would load.
 */
export const sourceResolution: ViteUserConfig = {
  resolve: { conditions: ['@infisical/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@infisical/source', 'node', 'development|production'] } },
};
