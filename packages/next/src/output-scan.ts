/**
 * The scan of `next build` output through core's leak scanner: one or more folders (the client
 * chunks, the prerendered pages, `public/`, the static export), each file named relative to the
 * project, with Next's (and its React's) client runtime as the baseline. Plain data in and out,
 * so it runs in this thread or in a worker.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import {
  createLeakScanner,
  type LeakMatch,
  type LeakReport,
  type LeakValueOptions,
} from '@infisical/core';
import { frameworkBaseline, scanDirectory } from '@infisical/core/node';

/**
 * The files of Next's client runtime and of the React it bundles (the baseline: a private value
 * also found there, such as `localhost`, is a warning). Read only when the scan found something.
 */
const NEXT_RUNTIME = [
  'next/dist/client',
  'next/dist/shared',
  'next/dist/build/polyfills',
  'next/dist/compiled/react',
  'next/dist/compiled/react-dom',
  'next/dist/compiled/react-experimental',
  'next/dist/compiled/react-dom-experimental',
  'next/dist/compiled/react-server-dom-turbopack',
  'next/dist/compiled/react-server-dom-webpack',
  'next/dist/compiled/scheduler',
];

/** A folder to scan. */
export interface OutputRoot {
  /** Absolute path; a folder that does not exist is left out. */
  dir: string;
  /** The folder as messages name it (e.g. `.next/server/app`). */
  name: string;
  /** Findings name files `${name}/${file}` (relative to the project), not relative to `dir`. */
  prefixed?: boolean;
  /** Only files ending with one of these (`.html`); every file when absent. */
  extensions?: readonly string[];
  /** Not the files ending with one of these (`.nft.json`). */
  except?: readonly string[];
}

/** What to scan, with what. */
export interface OutputScanRequest {
  /** The values and the leak check's settings (`ignore`, `minLength`). */
  values: LeakValueOptions;
  roots: readonly OutputRoot[];
  /** The project folder: where `next` is found, and `baseline` is relative to. */
  projectDir: string;
  /** More baseline paths (`leakCheck.baseline`), relative to the project (or absolute). */
  baseline?: readonly string[];
}

/** What the scan found. */
export interface OutputScanResult {
  report: LeakReport & { tooShort: readonly string[]; minLength: number };
  /** Files scanned, and how many values were looked for. */
  files: number;
  checked: number;
  /** The names of the roots that existed. */
  scanned: string[];
}

/** `root`'s filter of relative file names. */
function includeOf(root: OutputRoot): (file: string) => boolean {
  const { extensions, except = [] } = root;
  return (file) =>
    (extensions === undefined || extensions.some((end) => file.endsWith(end))) &&
    !except.some((end) => file.endsWith(end));
}

/** Scans every existing root of `request`; findings name files relative to the project. */
export async function scanOutput(request: OutputScanRequest): Promise<OutputScanResult> {
  const scanner = createLeakScanner(request.values);
  const baseline = frameworkBaseline(request.projectDir, NEXT_RUNTIME, request.baseline);
  const report: OutputScanResult['report'] = {
    findings: [],
    warnings: [],
    tooShort: scanner.tooShort,
    minLength: scanner.minLength,
  };
  let files = 0;
  const scanned: string[] = [];
  for (const root of request.roots) {
    if (!existsSync(root.dir)) continue;
    scanned.push(root.name);
    const found = await scanDirectory(root.dir, scanner, { ...baseline, include: includeOf(root) });
    const named = (match: LeakMatch): LeakMatch => {
      const file = (match.file ?? '').split(sep).join('/');
      return { ...match, file: root.prefixed ? `${root.name}/${file}` : file };
    };
    report.findings.push(...found.findings.map(named));
    report.warnings.push(...found.warnings.map(named));
    files += found.files;
  }
  return { report, files, checked: scanner.checked, scanned };
}
