/**
 * The leak scanner: built once for a set of private values and credentials, it finds them in any
 * text in one pass, in every form a bundler, minifier, HTML or RSC serialiser can write them, and
 * reports the key, the form and the position, never the value.
 *
 * @module
 */
import {
  decodeEscape,
  ESCAPE_ENTITY,
  ESCAPE_PERCENT,
  ESCAPE_SLASH,
  ESCAPE_UNICODE,
  escapeKind,
  mayStartEscape,
} from './decode.js';
import type { LeakForm } from './forms.js';
import { createLineIndex } from './line-index.js';
import { checkOptionNames, invalidOption } from './options.js';
import { createValueSet, type PatternSet } from './pattern-set.js';
import type { LeakMatch, LeakReport } from './report.js';
import { scanSplitLiterals } from './split-literals.js';
import type { LeakValueOptions, ValueEntry } from './values.js';

/** A text of the baseline: output known to hold no secret (the framework's own files, a build without secrets). */
export interface LeakBaselineText {
  /** Named in the warnings it causes. */
  file: string;
  text: string;
}

/** Options of {@link createLeakScanner}. */
export interface LeakScannerOptions extends LeakValueOptions {
  /**
   * Texts known to hold no secret: a private value that also occurs in one is reported as a
   * warning, not a failure (`anonymous`, `production`, `no-store` occur in frameworks' own code).
   * More can be added with {@link LeakScanner.addBaseline}.
   */
  baseline?: Iterable<LeakBaselineText>;
}

/** A built leak scanner. It holds the values; it prints none (`util.inspect`, JSON). */
export interface LeakScanner {
  /** The private values and credentials found in `text` (named `file` in the report). */
  scanText(text: string, file?: string): LeakReport;
  /** Adds a baseline text (see {@link LeakScannerOptions.baseline}); add them before scanning. */
  addBaseline(text: string, file: string): void;
  /** Keys (and credential labels) of the values too short to check. */
  readonly tooShort: readonly string[];
  /** The minimum length in effect. */
  readonly minLength: number;
  /** How many values are looked for. */
  readonly checked: number;
}

/** Where a value was found in one text, in one form. */
interface Hit {
  readonly entry: number;
  readonly form: LeakForm;
  start: number;
  occurrences: number;
}

const CALLER = 'createLeakScanner';

/** The form to report for a match of `form` spanning `start` to `end`, from the escapes in it. */
function reportedForm(text: string, start: number, end: number, form: LeakForm): LeakForm {
  if (form === 'base64' || form === 'base64url') return form;
  let kinds = 0;
  for (let index = start; index < end; index++) {
    if (!mayStartEscape(text.charCodeAt(index))) continue;
    const packed = decodeEscape(text, index, end);
    if (packed < 0) continue;
    kinds |= escapeKind(text, index);
    index += (packed & 15) - 1;
  }
  if (kinds & ESCAPE_ENTITY) return 'html-entity';
  if (kinds & ESCAPE_PERCENT) return 'url-encoded';
  if (kinds & ESCAPE_UNICODE) return 'unicode-escaped';
  if (kinds & ESCAPE_SLASH && form === 'raw') return 'json-escaped';
  return form;
}

/** Every (value, form) found in `text`, with its first position and count. */
function collect(text: string, patterns: PatternSet): Hit[] {
  const hits = new Map<string, Hit>();
  const record = (entry: number, form: LeakForm, start: number): void => {
    const id = `${entry}:${form}`;
    const hit = hits.get(id);
    if (hit === undefined) hits.set(id, { entry, form, start, occurrences: 1 });
    else {
      hit.occurrences++;
      hit.start = Math.min(hit.start, start);
    }
  };
  patterns.scan(text, 0, text.length, (ref, start, end) => {
    record(ref.entry, reportedForm(text, start, end, ref.form), start);
  });
  scanSplitLiterals(text, patterns, (ref, start) => record(ref.entry, 'split-literal', start));
  return [...hits.values()].sort((a, b) => a.start - b.start);
}

function checkBaselineText(item: unknown): LeakBaselineText {
  checkOptionNames(item, ['file', 'text'], `${CALLER}: baseline item`);
  if (typeof item.file !== 'string' || typeof item.text !== 'string') {
    throw invalidOption(
      CALLER,
      'each baseline item needs a string file and text',
      'pass { file, text }',
    );
  }
  return { file: item.file, text: item.text };
}

/**
 * Builds a leak scanner for `options.privateValues` and `options.credentials`.
 *
 * @throws InfisicalError `CONFIG_INVALID` for an unknown option or a value of the wrong type
 * (naming the option and key, never a value).
 */
export function createLeakScanner(options: LeakScannerOptions): LeakScanner {
  const values = createValueSet(options, CALLER, ['baseline']);
  const { patterns, entries } = values;

  // A private value inside a public one ships whenever the public one does: a warning.
  const insidePublic = new Map<number, string | undefined>();
  for (const [value, key] of values.publicValues) {
    patterns.scan(value, 0, value.length, (ref) => {
      if (ref.form === 'raw' && (entries[ref.entry] as ValueEntry).kind === 'secret') {
        insidePublic.set(ref.entry, key);
      }
    });
  }
  const inBaseline = new Map<number, string>();
  const addBaseline = (text: string, file: string): void => {
    for (const hit of collect(text, patterns)) {
      if (!inBaseline.has(hit.entry)) inBaseline.set(hit.entry, file);
    }
  };
  if (options.baseline !== undefined) {
    if (
      typeof (options.baseline as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
    ) {
      throw invalidOption(
        CALLER,
        'baseline must be an iterable of { file, text }',
        'pass an array',
      );
    }
    for (const item of options.baseline) {
      const { file, text } = checkBaselineText(item);
      addBaseline(text, file);
    }
  }

  return Object.freeze({
    tooShort: values.tooShort,
    minLength: values.minLength,
    checked: values.checked,
    addBaseline(text: string, file: string): void {
      const checkedText = checkBaselineText({ file, text });
      addBaseline(checkedText.text, checkedText.file);
    },
    scanText(text: string, file?: string): LeakReport {
      if (typeof text !== 'string') {
        throw invalidOption(
          'scanText',
          'the text to scan must be a string',
          'decode the file first',
        );
      }
      const report: LeakReport = { findings: [], warnings: [] };
      const position = createLineIndex(text);
      for (const hit of collect(text, patterns)) {
        const entry = entries[hit.entry] as ValueEntry;
        const match: LeakMatch = {
          key: entry.key,
          ...(file === undefined ? {} : { file }),
          kind: entry.kind,
          form: hit.form,
          ...position(hit.start),
          occurrences: hit.occurrences,
        };
        const baseline = entry.kind === 'secret' ? inBaseline.get(hit.entry) : undefined;
        if (baseline !== undefined) {
          report.warnings.push({
            ...match,
            reason: `its value also occurs in the baseline file ${baseline} (the framework's own files, or a build without secrets)`,
            baseline,
          });
        } else if (insidePublic.has(hit.entry)) {
          const publicKey = insidePublic.get(hit.entry);
          report.warnings.push({
            ...match,
            reason: `its value is part of the public value${publicKey === undefined ? '' : ` of ${publicKey}`}`,
          });
        } else {
          report.findings.push(match);
        }
      }
      return report;
    },
  });
}
