/**
 * The leak scan of a build output folder (Node only): every text file under it, whatever its
 * extension, through one leak scanner, with an optional baseline folder whose values are
 * warnings rather than failures.
 *
 * @module
 */
import { keysOnce, legacyScanner } from '../leaks/find-leaks.js';
import type { LeakFinding, LeakReport } from '../leaks/report.js';
import type { LeakScanner } from '../leaks/scanner.js';
import type { KeyedValues } from '../leaks/values.js';
import {
  displayPath,
  type ListedFile,
  listFiles,
  readTextFile,
  type SkippedFile,
} from './text-files.js';

/** Options of {@link scanDirectory}. */
export interface ScanDirectoryOptions {
  /**
   * Folders or files known to hold no secret (a build of the same app without secrets, the
   * framework's own client files): read first, every text file in them, into the scanner's
   * baseline. Values found there are warnings in the report, naming the baseline file.
   */
  baseline?: string | readonly string[];
  /** Which files to scan, by path relative to the folder. @default every file */
  include?: (file: string) => boolean;
}

/** The report of {@link scanDirectory}. */
export interface DirectoryLeakReport extends LeakReport {
  /** How many files were scanned. */
  files: number;
  /** Files not scanned: binary by content, or too large. */
  skipped: SkippedFile[];
  /** The scanner's values too short to check, to report once. */
  tooShort: readonly string[];
  /** The scanner's minimum length. */
  minLength: number;
}

/** Reads `files` one after another, the next read under way while the caller scans. */
async function* readAll(
  files: readonly ListedFile[],
): AsyncGenerator<[ListedFile, string | SkippedFile['reason']]> {
  let next = files.length > 0 ? readTextFile((files[0] as ListedFile).path) : undefined;
  for (let index = 0; index < files.length; index++) {
    const text = await (next as Promise<string | SkippedFile['reason']>);
    next =
      index + 1 < files.length ? readTextFile((files[index + 1] as ListedFile).path) : undefined;
    yield [files[index] as ListedFile, text];
  }
}

/** Adds every text file of `paths` to `scanner`'s baseline. */
async function addBaselines(
  scanner: LeakScanner,
  paths: string | readonly string[],
): Promise<void> {
  for (const root of typeof paths === 'string' ? [paths] : paths) {
    for await (const [{ path }, text] of readAll(await listFiles(root))) {
      if (text !== 'binary' && text !== 'too-large') scanner.addBaseline(text, displayPath(path));
    }
  }
}

/**
 * Scans every file under `dir` (recursively, whatever its name; binary files skipped by content)
 * with `scanner`, after reading `options.baseline`. Findings name files relative to `dir`.
 *
 * @throws InfisicalError `CONFIG_INVALID` when `dir` or a baseline path does not exist.
 */
export async function scanDirectory(
  dir: string,
  scanner: LeakScanner,
  options: ScanDirectoryOptions = {},
): Promise<DirectoryLeakReport> {
  if (options.baseline !== undefined) await addBaselines(scanner, options.baseline);
  const include = options.include ?? (() => true);
  const files = (await listFiles(dir)).filter(({ file }) => include(file));
  const report: DirectoryLeakReport = {
    findings: [],
    warnings: [],
    files: 0,
    skipped: [],
    tooShort: scanner.tooShort,
    minLength: scanner.minLength,
  };
  for await (const [{ file }, text] of readAll(files)) {
    if (text === 'binary' || text === 'too-large') {
      report.skipped.push({ file, reason: text });
      continue;
    }
    report.files++;
    const { findings, warnings } = scanner.scanText(text, file);
    report.findings.push(...findings);
    report.warnings.push(...warnings);
  }
  return report;
}

/** Options of {@link scanFilesForLeaks}. */
export interface ScanFilesOptions {
  /** File extensions to read. @default ['.js', '.mjs', '.cjs', '.css', '.html', '.json', '.map', '.txt', '.svg', '.rsc'] */
  extensions?: readonly string[];
  /** @default 6 */
  minLength?: number;
  /** Values that are also public are not leaks. */
  publicValues?: readonly string[];
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
 * Reads every file under `dir` with one of `extensions` and reports the private values found,
 * by key and file path relative to `dir`, never the value. The search is the leak scanner's
 * (every form, one pass per file). `scanDirectory` reads every file whatever its extension,
 * and reports forms, positions and warnings.
 */
export async function scanFilesForLeaks(
  dir: string,
  privateValues: KeyedValues,
  options: ScanFilesOptions = {},
): Promise<LeakFinding[]> {
  const extensions = options.extensions ?? DEFAULT_EXTENSIONS;
  const report = await scanDirectory(dir, legacyScanner(privateValues, options), {
    include: (file) => extensions.some((extension) => file.endsWith(extension)),
  });
  return keysOnce([...report.findings, ...report.warnings]);
}
