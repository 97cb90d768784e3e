import { defineConfig, type Options } from 'tsup';

/**
 * The one build configuration every published package uses: dual ESM + CJS with `.d.ts`/`.d.cts`,
 * no bundled dependencies, and a clean `dist/` each time. No source maps: the packages ship
 * `dist/` only, and a `sourceMappingURL` to a file that is not shipped makes bundlers warn (the
 * output is not minified, so stack traces read like the source; see the root README).
 *
 * @param entry - the package's public entry files, keyed by output name (`{ index: 'src/index.ts' }`).
 * @param overrides - package-specific tsup options (for example a `banner` for a CLI).
 */
export function libraryConfig(
  entry: Record<string, string>,
  overrides: Options = {},
): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    clean: true,
    target: 'node20',
    platform: 'neutral',
    splitting: true,
    treeshake: true,
    ...overrides,
  });
}
