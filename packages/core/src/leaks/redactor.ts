/**
 * Log redaction with the leak scanner's matcher: any private value or credential, in any form
 * the scanner knows (raw, JSON- and JS-escaped, `\u` escapes, HTML entities, percent-encoded,
 * base64), is replaced by `[redacted:KEY]`. A text without a secret costs one pass and comes back
 * as the same string.
 *
 * @module
 */
import { type ConsoleLike, installConsoleRedaction } from './console-redaction.js';
import { createValueSet } from './pattern-set.js';
import type { LeakValueOptions, ValueEntry } from './values.js';

/** Options of {@link createRedactor}: the same values as the leak scanner's. */
export type RedactorOptions = LeakValueOptions;

/**
 * Where a following redactor reads its values: called at each redaction; the redactor is rebuilt
 * when it returns another object (a handle's `leakCheckValues`, which changes on rotation and
 * token renewal, returns the same object until then).
 */
export type RedactorSource = () => RedactorOptions;

/** Replaces private values in log output. It holds the values; it prints none. */
export interface Redactor {
  /** `text` with every private value (in any known form) replaced by `[redacted:KEY]`. */
  redact(text: string): string;
  /**
   * A log argument with its private values replaced: a string redacted; an `Error` or object
   * that shows a private value (stack, message, JSON) becomes its redacted text; anything else
   * (and anything without a secret) is returned as is. For loggers that are not `console`
   * (Nest's `Logger`), applied to each argument.
   */
  redactValue(value: unknown): unknown;
  /**
   * Redacts `console.log`, `info`, `warn`, `error`, `debug` and `trace` (of `target`, default
   * the global `console`) until the returned function is called. Installing twice is safe; so is
   * uninstalling twice.
   */
  installConsole(target?: ConsoleLike): () => void;
  /** Replaces the values looked for (after a refresh); an installed console follows. */
  update(options: RedactorOptions): void;
  /** Keys (and credential labels) of the values too short to redact. */
  readonly tooShort: readonly string[];
}

const CALLER = 'createRedactor';

/** `text` with the spans (start, end, entry triples) replaced, overlapping spans merged. */
function replaceSpans(text: string, spans: number[], entries: readonly ValueEntry[]): string {
  if (spans.length === 3) {
    const key = (entries[spans[2] as number] as ValueEntry).key;
    return `${text.slice(0, spans[0])}[redacted:${key}]${text.slice(spans[1])}`;
  }
  const order = Array.from({ length: spans.length / 3 }, (_, index) => index * 3);
  order.sort((a, b) => (spans[a] as number) - (spans[b] as number));
  let out = '';
  let copied = 0;
  for (let at = 0; at < order.length; ) {
    const first = order[at] as number;
    const start = spans[first] as number;
    let end = spans[first + 1] as number;
    const keys = new Set<string>();
    for (; at < order.length && (spans[order[at] as number] as number) < end; at++) {
      const span = order[at] as number;
      end = Math.max(end, spans[span + 1] as number);
      keys.add((entries[spans[span + 2] as number] as ValueEntry).key);
    }
    out += `${text.slice(copied, start)}[redacted:${[...keys].join(',')}]`;
    copied = end;
  }
  return out + text.slice(copied);
}

/** JSON of a log argument (cycles cut), or undefined when it has none. */
function jsonOf(value: object): string | undefined {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'bigint') return item.toString();
      if (typeof item !== 'object' || item === null) return item;
      if (seen.has(item)) return '[Circular]';
      seen.add(item);
      return item;
    });
  } catch {
    return undefined;
  }
}

/**
 * Builds a redactor for `options.privateValues` and `options.credentials`; given a function
 * ({@link RedactorSource}), it follows the values that function returns.
 *
 * @throws InfisicalError `CONFIG_INVALID` for an unknown option or a value of the wrong type.
 */
export function createRedactor(options: RedactorOptions | RedactorSource): Redactor {
  const source = typeof options === 'function' ? options : undefined;
  let given = source === undefined ? (options as RedactorOptions) : source();
  let built = createValueSet(given, CALLER);
  const redact = (text: string): string => {
    if (source !== undefined) {
      const next = source();
      if (next !== given) {
        given = next;
        built = createValueSet(next, CALLER);
      }
    }
    let spans: number[] | undefined;
    built.patterns.scan(text, 0, text.length, (ref, start, end) => {
      spans ??= [];
      spans.push(start, end, ref.entry);
    });
    return spans === undefined ? text : replaceSpans(text, spans, built.entries);
  };
  const redactor: Redactor = {
    get tooShort() {
      return built.tooShort;
    },
    redact(text) {
      return typeof text === 'string' ? redact(text) : text;
    },
    redactValue(value) {
      if (typeof value === 'string') return redact(value);
      if (typeof value !== 'object' || value === null) return value;
      const text =
        value instanceof Error
          ? typeof value.stack === 'string' && value.stack.includes(value.message)
            ? value.stack
            : `${value.name}: ${value.message}\n${value.stack ?? ''}`
          : jsonOf(value);
      if (text === undefined) return value;
      const redacted = redact(text);
      return redacted === text ? value : redacted;
    },
    installConsole(target) {
      return installConsoleRedaction(redactor, target);
    },
    update(next) {
      built = createValueSet(next, CALLER);
      given = next;
    },
  };
  return Object.freeze(redactor);
}
