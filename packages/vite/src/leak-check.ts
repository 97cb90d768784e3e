/**
 * The leak check of a client build: every file of the output folder — what `public/` copied
 * included, whatever its extension — through core's scanner, with the handle's private values
 * and Infisical credentials. A value that Vite's (or the UI framework's) own files also hold is
 * a warning, not a failure.
 *
 * @module
 */
import {
  createLeakScanner,
  type LeakCheckOptions,
  type LeakOutcome,
  leakOutcome,
  type Secrets,
  type SecretValues,
} from '@infisical/core';
import { frameworkBaseline, scanDirectory } from '@infisical/core/node';

/**
 * The framework files a client bundle copies code from (Vite's client and the helpers its build
 * injects, such as the modulepreload polyfill; React's and Vue's runtimes): the baseline, read
 * only when the scan found something.
 */
const FRAMEWORK_FILES = [
  'vite/dist',
  'react/cjs',
  'react-dom/cjs',
  'vue/dist',
  '@vue/runtime-dom/dist',
];

/** What {@link checkClientBuild} gives: the outcome, and how many values were looked for. */
export interface ClientBuildCheck extends LeakOutcome {
  checked: number;
}

/**
 * Scans `dir` (the client output) for `secrets`' private values and credentials; `publicValues`
 * are the public values as client code sees them.
 */
export async function checkClientBuild(
  dir: string,
  root: string,
  where: string,
  secrets: Pick<Secrets<string>, 'leakCheckValues'>,
  settings: LeakCheckOptions & { publicValues: SecretValues },
): Promise<ClientBuildCheck> {
  const { baseline = [], publicValues, ...check } = settings;
  const scanner = createLeakScanner({ ...secrets.leakCheckValues(), publicValues, ...check });
  const report = await scanDirectory(
    dir,
    scanner,
    frameworkBaseline(root, FRAMEWORK_FILES, baseline),
  );
  return { ...leakOutcome(report, where), checked: scanner.checked };
}
