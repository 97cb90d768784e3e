import swc from 'unplugin-swc';
import { defineConfig, mergeConfig } from 'vitest/config';
import { sourceResolution } from '../../vitest.shared.ts';

// Nest's decorators need the legacy transform with decorator metadata: SWC reads both flags
// from tsconfig.json (experimentalDecorators, emitDecoratorMetadata).
export default mergeConfig(
  sourceResolution,
  defineConfig({
    plugins: [swc.vite({ module: { type: 'es6' } })],
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      fileParallelism: false,
    },
  }),
);
