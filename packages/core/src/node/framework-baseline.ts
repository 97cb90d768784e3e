/**
 * The baseline an adapter gives the leak check: its framework's own runtime files, found from
 * the project's folder as Node.js would find the packages, and the user's own baseline paths.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { ScanDirectoryOptions } from './scan-files.js';

/**
 * The production JavaScript of a package: not its type declarations, source maps, development
 * or profiling builds, or `dev/` folders.
 */
const RUNTIME_FILE = /^(?!.*\.(?:development|profiling)\.)(?!(?:.*[\\/])?dev[\\/]).*\.[cm]?js$/;

/** The folder of package `name` as code in `root` would load it, or undefined. */
function packageFolder(root: string, name: string): string | undefined {
  const lookup = createRequire(join(root, 'package.json')).resolve.paths(name) ?? [];
  return lookup.map((dir) => join(dir, name)).find((dir) => existsSync(join(dir, 'package.json')));
}

/**
 * The paths of `specs` (`package/path/inside`, e.g. `next/dist/client`, `@scope/pkg/dist`) that
 * exist, each package found from `root` (its `node_modules`, the parents', `NODE_PATH`); a
 * package that is not installed, or a path it does not have, is left out.
 */
export function packagePaths(root: string, specs: readonly string[]): string[] {
  const paths: string[] = [];
  for (const spec of specs) {
    const parts = spec.split('/');
    const length = spec.startsWith('@') ? 2 : 1;
    const folder = packageFolder(root, parts.slice(0, length).join('/'));
    if (folder === undefined) continue;
    const path = join(folder, ...parts.slice(length));
    if (existsSync(path)) paths.push(path);
  }
  return paths;
}

/**
 * The `baseline` and `baselineInclude` of {@link scanDirectory} for a project in `root`: the
 * production JavaScript of the framework paths `specs` (see {@link packagePaths}), and every
 * file of `extra` (the user's own baseline, relative to `root`).
 */
export function frameworkBaseline(
  root: string,
  specs: readonly string[],
  extra: readonly string[] = [],
): Required<Pick<ScanDirectoryOptions, 'baseline' | 'baselineInclude'>> {
  const runtime = packagePaths(root, specs);
  return {
    baseline: [...runtime, ...extra.map((path) => resolve(root, path))],
    baselineInclude: (file, folder) => !runtime.includes(folder) || RUNTIME_FILE.test(file),
  };
}
