/**
 * Finding private secret values in text that will be shipped (client bundles, static pages).
 * Reports keys and places, never values.
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';

/** A private value found in a text. */
export interface LeakFinding {
  /** The secret's key. */
  key: string;
  /** Where it was found (a file path, when given). */
  file?: string;
}

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

/** The forms a value takes in source text: as is, and escaped in a JS/JSON string literal. */
function forms(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped === value ? [value] : [value, escaped];
}

/** The private values that appear in `text`, by key. */
export function findLeaks(
  text: string,
  privateValues: Readonly<Record<string, string>>,
  options: FindLeaksOptions = {},
): LeakFinding[] {
  const minLength = options.minLength ?? 6;
  const allowed = new Set(options.publicValues ?? []);
  const findings: LeakFinding[] = [];
  for (const [key, value] of Object.entries(privateValues)) {
    if (value.length < minLength || allowed.has(value)) continue;
    if (forms(value).some((form) => text.includes(form))) {
      findings.push(options.file === undefined ? { key } : { key, file: options.file });
    }
  }
  return findings;
}

/** The `LEAK_DETECTED` error for findings: keys and files, never values. */
export function leakError(findings: readonly LeakFinding[], where: string): InfisicalError {
  const lines = findings.map((f) => (f.file ? `${f.key} in ${f.file}` : f.key));
  return new InfisicalError(
    'LEAK_DETECTED',
    `Private secret value${findings.length > 1 ? 's' : ''} found in ${where}: ${lines.join(', ')}. ` +
      'Fix: do not import these secrets into client code, or mark them public if they are meant to be.',
    { details: { findings } },
  );
}
