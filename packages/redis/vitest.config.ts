import { defineConfig, mergeConfig } from 'vitest/config';
import { sourceResolution } from '../../vitest.shared.ts';

export default mergeConfig(
  sourceResolution,
  defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      // Each file starts its own redis-server and emulator; the process test starts N Node processes.
      fileParallelism: false,
      testTimeout: 60_000,
      hookTimeout: 120_000,
    },
  }),
);
