import { defaultClientConditions } from 'vite';
import type { ViteUserConfig } from 'vitest/config';

/**
 * Resolve `@infisical/*` workspace packages to their TypeScript source, so tests need no build.
 * Server-side resolution uses Node's own conditions (no `module`), so dependencies load the files
 * Node itself would load. Also the shared test time limits.
 */
export const sourceResolution: ViteUserConfig = {
  // Integration tests start servers and processes; a busy 2-core CI machine needs headroom.
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
  resolve: { conditions: ['@infisical/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@infisical/source', 'node', 'development|production'] } },
};
