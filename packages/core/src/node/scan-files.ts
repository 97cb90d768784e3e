/**
 * The leak scan of a build output folder (Node only): every text file under it, whatever its
 * extension, through one leak scanner, with an optional baseline (files known to hold no
 * secret) that turns values also found there into warnings. The baseline is read only when the
 * scan found a private value, so a clean build does not pay for it.
 *
 * @module
 */
import type { LeakReport } from '../leaks/report.js';
import type { LeakScanner } from '../leaks/scanner.js';
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
   * Folders or files known to hold no secret (the framework's own client files, a build of the
   * same app without secrets). When the scan finds a private value, every text file in them is
   * read into the scanner's baseline and the files with findings are scanned again: a value
   * found in the baseline too is a warning naming the baseline file. Credentials are never
   * baselined.
   */
  baseline?: string | readonly string[];
  /**
   * Which baseline files to read: by path relative to their baseline folder, and that folder
   * (as given in `baseline`). @default every file
   */
  baselineInclude?: (file: string, root: string) => boolean;
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

/** The baseline paths already read into each scanner. */
const baselinesRead = new WeakMap<LeakScanner, Set<string>>();

/** Adds every text file of `paths` to `scanner`'s baseline (each path once per scanner). */
async function addBaselines(
  scanner: LeakScanner,
  paths: string | readonly string[],
  include: (file: string, root: string) => boolean,
): Promise<void> {
  const read = baselinesRead.get(scanner) ?? new Set<string>();
  baselinesRead.set(scanner, read);
  for (const root of typeof paths === 'string' ? [paths] : paths) {
    if (read.has(root)) continue;
    read.add(root);
    const files = (await listFiles(root)).filter(({ file }) => include(file, root));
    for await (const [{ path }, text] of readAll(files)) {
      if (text !== 'binary' && text !== 'too-large') scanner.addBaseline(text, displayPath(path));
    }
  }
}

/** A scanned file that showed a private value. */
interface FileHit {
  readonly listed: ListedFile;
  report: LeakReport;
}

const hasSecret = (report: LeakReport): boolean =>
  report.findings.some((finding) => finding.kind === 'secret');

/**
 * Scans every file under `dir` (recursively, whatever its name; binary files skipped by content)
 * with `scanner`, then — when it found a private value — reads `options.baseline` and scans the
 * files with findings again. Findings name files relative to `dir`.
 *
 * @throws InfisicalError `CONFIG_INVALID` when `dir` or a baseline path does not exist.
 */
export async function scanDirectory(
  dir: string,
  scanner: LeakScanner,
  options: ScanDirectoryOptions = {},
): Promise<DirectoryLeakReport> {
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
  const hits: FileHit[] = [];
  for await (const [listed, text] of readAll(files)) {
    if (text === 'binary' || text === 'too-large') {
      report.skipped.push({ file: listed.file, reason: text });
      continue;
    }
    report.files++;
    const found = scanner.scanText(text, listed.file);
    if (found.findings.length > 0 || found.warnings.length > 0)
      hits.push({ listed, report: found });
  }
  if (options.baseline !== undefined && hits.some((hit) => hasSecret(hit.report))) {
    await addBaselines(scanner, options.baseline, options.baselineInclude ?? (() => true));
    for (const hit of hits) {
      if (!hasSecret(hit.report)) continue;
      const text = await readTextFile(hit.listed.path);
      if (text !== 'binary' && text !== 'too-large') {
        hit.report = scanner.scanText(text, hit.listed.file);
      }
    }
  }
  for (const hit of hits) {
    report.findings.push(...hit.report.findings);
    report.warnings.push(...hit.report.warnings);
  }
  return report;
}
