import { SERVER_VERSIONS } from '@infisical/emulator';
import { defineConfig, mergeConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { sourceResolution } from '../../vitest.shared.ts';

/**
 * Core's tests as a version matrix: the unit tests once, and every integration test (they start
 * the emulator) once per server version the emulator speaks, each project naming its version in
 * `INFISICAL_EMULATOR_SERVER_VERSION` (read by `test-utils`). `--project 'node@2024-10'` runs one.
 */
const VARIABLE = 'INFISICAL_EMULATOR_SERVER_VERSION';
/** Test files under `test/` that start no emulator: they run once, with the unit tests. */
const NO_EMULATOR = [
  'test/auth-sigv4.test.ts',
  'test/portability.test.ts',
  'test/leaks/**/*.test.ts',
];

export default mergeConfig(
  sourceResolution,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: { name: 'unit', include: ['src/**/*.test.ts', ...NO_EMULATOR] },
        },
        ...SERVER_VERSIONS.flatMap((version): TestProjectInlineConfiguration[] => [
          {
            extends: true,
            test: {
              name: `node@${version}`,
              include: ['test/**/*.test.ts'],
              exclude: ['test/edge/**', ...NO_EMULATOR],
              env: { [VARIABLE]: version },
            },
          },
          {
            extends: true,
            test: {
              name: `edge@${version}`,
              include: ['test/edge/**/*.test.ts'],
              environment: 'edge-runtime',
              globalSetup: ['test/edge/global-setup.ts'],
              env: { [VARIABLE]: version },
            },
          },
        ]),
      ],
    },
  }),
);
