import { defineConfig, mergeConfig } from 'vitest/config';
import { sourceResolution } from '../../vitest.shared.ts';

export default mergeConfig(
  sourceResolution,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'node',
            include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
            exclude: ['test/edge/**'],
          },
        },
        {
          extends: true,
          test: {
            name: 'edge',
            include: ['test/edge/**/*.test.ts'],
            environment: 'edge-runtime',
            globalSetup: ['test/edge/global-setup.ts'],
          },
        },
      ],
    },
  }),
);
