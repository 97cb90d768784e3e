/**
 * The size of the smallest useful edge bundle: `new InfisicalClient({ auth: { universalAuth } })`
 * and one `getSecret`, bundled from the built package (`exports` → `dist/index.js`, no `node`
 * condition) and minified with esbuild, then gzipped (level 9):
 * `pnpm --filter bench bench:edge-bundle` (build the packages first). Prints min and min+gzip
 * bytes, and the largest source files in the bundle. `CORE_DIR=<dir>` measures another build
 * of the package (a directory holding its `package.json` and `dist/`), e.g. a copy of `main`'s.
 *
 * esbuild is the one tsup builds the packages with (no extra dependency).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
/** The part of esbuild's API used here (bench does not depend on esbuild's types). */
interface Esbuild {
  version: string;
  build(options: Record<string, unknown>): Promise<{
    outputFiles: { contents: Uint8Array }[];
    metafile: { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  }>;
}
const esbuild = createRequire(require.resolve('tsup'))('esbuild') as Esbuild;

const coreDir = resolve(
  process.env.CORE_DIR ?? fileURLToPath(new URL('../packages/core', import.meta.url)),
);
const entry = `import { InfisicalClient } from '@infisical/core';
const client = new InfisicalClient({
  auth: { universalAuth: { clientId: 'id', clientSecret: 'secret' } },
  projectId: 'project',
  environment: 'prod',
});
export const read = (name) => client.getSecret(name);
`;

/** Bundles the entry against the package; `source` resolves to its TypeScript (per-file sizes). */
async function bundle(dir: string, source: boolean) {
  const result = await esbuild.build({
    entryPoints: [join(dir, 'entry.mjs')],
    absWorkingDir: dir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    conditions: source ? ['@infisical/source', 'worker', 'browser'] : ['worker', 'browser'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: source ? 'silent' : 'warning',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {})
    .map(([file, info]) => [info.bytesInOutput, file.replace(/^.*\/core\/src\//, '')] as const)
    .sort((a, b) => b[0] - a[0]);
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs };
}

const dir = mkdtempSync(join(tmpdir(), 'edge-bundle-'));
try {
  const scope = join(dir, 'node_modules', '@infisical');
  mkdirSync(scope, { recursive: true });
  symlinkSync(coreDir, join(scope, 'core'), 'dir');
  writeFileSync(join(dir, 'entry.mjs'), entry);
  const built = await bundle(dir, false);
  console.log(`edge bundle (universalAuth + getSecret), esbuild ${esbuild.version}, ${coreDir}`);
  console.log(
    `built package: min ${built.min} bytes, min+gzip ${built.gzip} bytes (${(built.gzip / 1024).toFixed(2)} KiB; goal ≤ 8 KB)`,
  );
  // A build without its sources (a copy of dist only) has no per-file breakdown.
  const source = await bundle(dir, true).catch(() => undefined);
  if (source) {
    console.log(
      `from source:   min ${source.min} bytes, min+gzip ${source.gzip} bytes; largest files (min bytes):`,
    );
    for (const [bytes, file] of source.inputs.slice(0, 14)) {
      console.log(`  ${String(bytes).padStart(6)}  ${file}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
