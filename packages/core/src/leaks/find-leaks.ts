/**
 * `findLeaks`, the one-call form of the leak scanner that the adapters used before the scanner
 * existed: it builds a scanner for one text and reports keys (and the file) only.
 *
 * @module
 */
import type { LeakFinding } from './report.js';
import { createLeakScanner, type LeakScanner } from './scanner.js';
import type { KeyedValues } from './values.js';

/** Options of {@link findLeaks}. */
export interface FindLeaksOptions {
  /** Name of the text, reported in findings. */
  file?: string;
  /**
   * Values shorter than this are not searched: they are too common to mean a leak (`5432`, `true`).
   * @default 6
   */
  minLength?: number;
  /** Values that are also public (a private key holding the same value as a public one) are not leaks. */
  publicValues?: readonly string[];
}

/**
 * The private values that appear in `text`, in any form the scanner knows, one finding per key.
 * Building the search costs more than one scan: to scan many texts, build a scanner once with
 * `createLeakScanner` (which also reports forms and positions).
 */
export function findLeaks(
  text: string,
  privateValues: KeyedValues,
  options: FindLeaksOptions = {},
): LeakFinding[] {
  const { findings, warnings } = legacyScanner(privateValues, options).scanText(text, options.file);
  return keysOnce([...findings, ...warnings]);
}

/** The scanner of the one-call forms (`findLeaks`, `scanFilesForLeaks`). */
export function legacyScanner(
  privateValues: KeyedValues,
  options: Pick<FindLeaksOptions, 'minLength' | 'publicValues'>,
): LeakScanner {
  return createLeakScanner({
    privateValues,
    ...(options.publicValues === undefined ? {} : { publicValues: options.publicValues }),
    ...(options.minLength === undefined ? {} : { minLength: options.minLength }),
  });
}

/** One `{ key, file }` per key and file, in order of first appearance. */
export function keysOnce(found: readonly LeakFinding[]): LeakFinding[] {
  const seen = new Set<string>();
  const out: LeakFinding[] = [];
  for (const { key, file } of found) {
    const id = `${file ?? ''}\0${key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(file === undefined ? { key } : { key, file });
  }
  return out;
}
