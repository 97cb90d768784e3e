/**
 * @module scripts/lib/reports
 * Test reports in one shape, so the test command can print one grand total: every vitest run writes
 * its JSON report (`--reporter=json`) to `<package>/.test-report/vitest.json`, and the repository's
 * own checks (README blocks, quick-starts, runtimes) write the same counters beside theirs. Only
 * the counters are read: `numPassedTests`, `numFailedTests`, `numPendingTests`, `numTodoTests`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The folder (inside a workspace package) where its reports go. */
export const REPORT_DIR = '.test-report';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** The workspace folders that may hold reports: the root and every package of pnpm-workspace.yaml. */
export function workspaceDirs() {
  const globs = readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8')
    .split('\n')
    .map((line) => /^\s*-\s*["']?([^"'#]+?)["']?\s*$/.exec(line)?.[1])
    .filter((glob) => glob && !glob.includes('"'));
  const dirs = [ROOT];
  for (const glob of globs) {
    if (glob.endsWith('/*')) {
      const parent = join(ROOT, glob.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true })) {
        if (entry.isDirectory() && existsSync(join(parent, entry.name, 'package.json')))
          dirs.push(join(parent, entry.name));
      }
    } else if (existsSync(join(ROOT, glob, 'package.json'))) dirs.push(join(ROOT, glob));
  }
  return dirs;
}

/** Deletes every report, so a run counts only what it ran. */
export function clearReports() {
  for (const dir of workspaceDirs())
    rmSync(join(dir, REPORT_DIR), { recursive: true, force: true });
}

/**
 * Writes one report of the repository's own checks.
 * @param {string} dir - the workspace folder it belongs to
 * @param {string} name - the report's file name, without `.json`
 * @param {{ passed: number, failed: number, skipped: number }} counts
 */
export function writeReport(dir, name, counts) {
  mkdirSync(join(dir, REPORT_DIR), { recursive: true });
  const report = {
    numPassedTests: counts.passed,
    numFailedTests: counts.failed,
    numPendingTests: counts.skipped,
    numTodoTests: 0,
  };
  writeFileSync(join(dir, REPORT_DIR, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
}

/** Every report present: `{ where, passed, failed, skipped }`, `where` relative to the root. */
export function readReports() {
  const reports = [];
  for (const dir of workspaceDirs()) {
    const folder = join(dir, REPORT_DIR);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder)
      .filter((name) => name.endsWith('.json'))
      .sort()) {
      const where = relative(ROOT, join(folder, file));
      try {
        const json = JSON.parse(readFileSync(join(folder, file), 'utf8'));
        reports.push({
          where,
          passed: json.numPassedTests ?? 0,
          failed: json.numFailedTests ?? 0,
          skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
        });
      } catch {
        reports.push({ where, passed: 0, failed: 1, skipped: 0, unreadable: true });
      }
    }
  }
  return reports;
}

/** Adds reports up. */
export function total(reports) {
  return reports.reduce(
    (sum, r) => ({
      passed: sum.passed + r.passed,
      failed: sum.failed + r.failed,
      skipped: sum.skipped + r.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
}

/** `N passed, N failed, N skipped`. */
export function formatCounts(counts) {
  return `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
}
