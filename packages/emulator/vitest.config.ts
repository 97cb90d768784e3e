import { defineConfig, mergeConfig } from 'vitest/config';
import { sourceResolution } from '../../vitest.shared.ts';

export default mergeConfig(sourceResolution, defineConfig({ test: {} }));
