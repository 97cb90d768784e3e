/**
 * @module scripts/lib/known-failures
 * The temporary allowlist of README examples known to fail today, `scripts/known-failures.txt`:
 * one line per example, `<check> <what> <reason>`, where `<check>` is `typecheck` (`<what>` is
 * `<README path>:<line of the opening fence>`) or `quickstart` (`<what>` is the framework name).
 * `#` starts a comment. A listed example that fails is reported and counted as skipped; a listed
 * example that passes is reported as stale (remove its line). The goal is an empty file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './reports.mjs';

/** Where the allowlist lives. */
export const KNOWN_FAILURES_FILE = join(ROOT, 'scripts', 'known-failures.txt');

/**
 * The allowlisted examples of one check: `what` → reason.
 * @param {'typecheck' | 'quickstart'} check
 * @returns {Map<string, string>}
 */
export function knownFailures(check) {
  const entries = new Map();
  if (!existsSync(KNOWN_FAILURES_FILE)) return entries;
  for (const raw of readFileSync(KNOWN_FAILURES_FILE, 'utf8').split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [kind, what, ...reason] = line.split(/\s+/);
    if (kind === check && what) entries.set(what, reason.join(' ') || '(no reason given)');
  }
  return entries;
}
