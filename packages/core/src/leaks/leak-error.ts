/**
 * The words of a leak check, in one place for every adapter: the `LEAK_DETECTED` error for
 * findings, and the warning lines (values found in the baseline or inside public values, values
 * too short to check). Keys, files, forms and positions only, never values.
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';
import type { LeakFinding, LeakMatch, LeakReport } from './report.js';

/** Findings listed in an error message; `details.findings` holds them all. */
const LISTED = 20;

function isMatch(finding: LeakFinding): finding is LeakMatch {
  return typeof (finding as Partial<LeakMatch>).form === 'string';
}

/** `KEY in file:line:column (form)`, or `KEY in file` for a finding without a position. */
function describe(finding: LeakFinding): string {
  if (!isMatch(finding)) return finding.file ? `${finding.key} in ${finding.file}` : finding.key;
  const where = `${finding.file ?? 'line'}${finding.file ? ':' : ' '}${finding.line}:${finding.column}`;
  const times = finding.occurrences > 1 ? `, ${finding.occurrences} times` : '';
  const name =
    finding.kind === 'credential' ? `the Infisical credential ${finding.key}` : finding.key;
  return `${name} in ${where} (${finding.form}${times})`;
}

/** The `LEAK_DETECTED` error for findings: keys, files, forms and positions, never values. */
export function leakError(findings: readonly LeakFinding[], where: string): InfisicalError {
  const listed = findings.slice(0, LISTED).map(describe);
  if (findings.length > LISTED) {
    listed.push(`and ${findings.length - LISTED} more (error.details.findings lists them all)`);
  }
  const credential = findings.some((f) => isMatch(f) && f.kind === 'credential');
  return new InfisicalError(
    'LEAK_DETECTED',
    `Private secret value${findings.length > 1 ? 's' : ''} found in ${where}: ${listed.join(', ')}. ` +
      'Fix: do not import these secrets into client code, or mark them public if they are meant to be.' +
      (credential
        ? ' An Infisical credential that reached shipped output must be rotated in Infisical; keep INFISICAL_* variables out of client code.'
        : ''),
    { details: { findings } },
  );
}

/** What an adapter does with a report: throw `error` when there is one, print `warnings`. */
export interface LeakOutcome {
  /** `LEAK_DETECTED` when the report has findings. */
  error: InfisicalError | undefined;
  /** One line per warning, and one naming the values too short to check. */
  warnings: string[];
}

/**
 * The error and warning lines of `report`, a scan of `where` (e.g. `the client build (dist)`).
 * Pass `tooShort` and `minLength` (the scanner's) to have the too-short values named once.
 */
export function leakOutcome(
  report: LeakReport & { readonly tooShort?: readonly string[]; readonly minLength?: number },
  where: string,
): LeakOutcome {
  const warnings = report.warnings.map(
    (warning) =>
      `Infisical: ${describe(warning)} in ${where} is a warning, not a failure: ${warning.reason ?? 'it is allowed'}.`,
  );
  if (report.tooShort !== undefined && report.tooShort.length > 0) {
    const count = report.tooShort.length;
    warnings.push(
      `Infisical: ${count} private value${count > 1 ? 's are' : ' is'} too short to check ` +
        `(under ${report.minLength ?? 'the minimum of'} characters): ${report.tooShort.join(', ')}.`,
    );
  }
  return {
    error: report.findings.length > 0 ? leakError(report.findings, where) : undefined,
    warnings,
  };
}
