/**
 * What the leak scanner reports: keys, files, forms and positions, never values.
 *
 * @module
 */
import type { LeakForm } from './forms.js';
import type { LeakValueKind } from './values.js';

/** A private value found in a text: its key and where. */
export interface LeakFinding {
  /** The secret's key, or the credential's label. */
  key: string;
  /** Where it was found (a file path, when given). */
  file?: string;
}

/** A finding of the leak scanner: the key, the file, the form and the first position. */
export interface LeakMatch extends LeakFinding {
  /** A secret from Infisical, or an Infisical credential. */
  kind: LeakValueKind;
  /** How the value was written there. */
  form: LeakForm;
  /** 1-based line of the first occurrence. */
  line: number;
  /** 1-based column (UTF-16 code units) of the first occurrence. */
  column: number;
  /** How many times the value was found in this form in this text. */
  occurrences: number;
  /** Why a warning is only a warning (on `warnings` only). */
  reason?: string;
  /** The baseline file the value also occurs in (on warnings from the baseline). */
  baseline?: string;
}

/** The result of a scan. */
export interface LeakReport {
  /** Private values found: a leak. */
  findings: LeakMatch[];
  /**
   * Private values found that also occur in the baseline, or inside a public value: reported,
   * not a failure (`reason` says why).
   */
  warnings: LeakMatch[];
}
