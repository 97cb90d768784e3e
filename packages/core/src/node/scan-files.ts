import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type FindLeaksOptions, findLeaks, type LeakFinding } from '../loader/leaks.js';

/** Options of {@link scanFilesForLeaks}. */
export interface ScanFilesOptions extends Omit<FindLeaksOptions, 'file'> {
  /** File extensions to read. @default ['.js', '.mjs', '.cjs', '.css', '.html', '.json', '.map', '.txt', '.svg', '.rsc'] */
  extensions?: readonly string[];
}

const DEFAULT_EXTENSIONS = [
  '.js',
  '.mjs',
  '.cjs',
  '.css',
  '.html',
  '.json',
  '.map',
  '.txt',
  '.svg',
  '.rsc',
];

/**
 * Reads every file under `dir` (recursively) with one of `extensions` and reports the private
 * values found, by key and file path relative to `dir`, never the value.
 */
export async function scanFilesForLeaks(
  dir: string,
  privateValues: Readonly<Record<string, string>>,
  options: ScanFilesOptions = {},
): Promise<LeakFinding[]> {
  const extensions = options.extensions ?? DEFAULT_EXTENSIONS;
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const findings: LeakFinding[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !extensions.some((ext) => entry.name.endsWith(ext))) continue;
    const path = join(entry.parentPath ?? (entry as { path?: string }).path ?? dir, entry.name);
    const text = await readFile(path, 'utf8');
    findings.push(...findLeaks(text, privateValues, { ...options, file: relative(dir, path) }));
  }
  return findings;
}
