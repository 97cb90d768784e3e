import { defineConfig, mergeConfig } from 'vitest/config';
import { sourceResolution } from '../../vitest.shared.ts';

// Unit tests run on the source; the integration tests in test/ drive Next and Node in child
// processes, which load the built package (`withInfisical` starts dist/load-worker.js).
export default mergeConfig(
  sourceResolution,
  defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 180_000,
      hookTimeout: 180_000,
      fileParallelism: false,
    },
  }),
);
