import { defineConfig, mergeConfig } from 'vitest/config';
import { sourceResolution } from '../../vitest.shared.ts';

export default mergeConfig(
  sourceResolution,
  defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      fileParallelism: false,
      testTimeout: 30_000,
    },
  }),
);
