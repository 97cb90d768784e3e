import { defineConfig } from 'vitest/config';

// Each file builds the app once and drives real Next.js servers: one file at a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
