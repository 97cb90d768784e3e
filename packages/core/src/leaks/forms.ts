/**
 * The forms a secret value takes once a bundler, minifier, HTML or RSC serialiser or an encoder
 * writes it: the search strings of one value, decoded the way the matcher reads text.
 *
 * Written here: raw; inside a JSON / double-quoted string (`\"`, `\\`, `\n`, `\t`, `\u0000`…),
 * a single-quoted string (`\'`), a template literal (`` \` ``, `\${`), a JSON string inside a JSON
 * string (React Server Components rows inlined in HTML); the `+`-for-space form of
 * `application/x-www-form-urlencoded`; and base64 / base64url of the UTF-8 bytes (of the raw and
 * of the JSON-escaped value) at each of the three byte alignments, as inside a longer base64 text
 * such as a Basic auth header (`user:secret`).
 * Not written here because the matcher reads through them: `\uXXXX` / `\xHH` / `\u{…}` escapes of
 * any character in either letter case, `\/`, HTML character references and percent-encoding.
 *
 * @module
 */
import { encodeBase64 } from '../crypto/base64.js';
import { decodeEscapes } from './decode.js';

/** How a value was written where it was found. */
export type LeakForm =
  /** As is. */
  | 'raw'
  /** Inside a JSON or double-quoted JS string, escapes included (also JSON inside JSON, `<\/`). */
  | 'json-escaped'
  /** Inside a single-quoted string or a template literal, escapes included. */
  | 'js-escaped'
  /** With `\uXXXX`, `\xHH` or `\u{…}` escapes (HTML-safe JSON writes `\u003c`). */
  | 'unicode-escaped'
  /** With HTML character references (`&amp;`, `&quot;`, `&#39;`, `&#x27;`…). */
  | 'html-entity'
  /** Percent-encoded (`encodeURIComponent`, query strings, `+` for spaces). */
  | 'url-encoded'
  /** Base64 of its UTF-8 bytes, possibly inside a longer base64 text. */
  | 'base64'
  /** Base64url of its UTF-8 bytes. */
  | 'base64url'
  /** Cut into adjacent string literals a minifier left joined by `+`, `+=`, `.concat()` or `${}`. */
  | 'split-literal';

/** One search string of a value: decoded text, and the form it stands for. */
export interface ValueForm {
  readonly form: LeakForm;
  readonly text: string;
}

/** Values longer than this are searched raw and JSON-escaped only (bounded work and memory). */
export const MAX_FULLY_ENCODED_LENGTH = 65_536;

/** Shortest base64 run searched: shorter runs occur by chance in long base64 texts. */
const MIN_BASE64_RUN = 8;

const QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** `value` escaped for a string literal quoted with `quote`. */
function quoted(value: string, quote: '"' | "'"): string {
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === quote) out += `\\${quote}`;
    else if (QUOTE_ESCAPES[char] !== undefined) out += QUOTE_ESCAPES[char];
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return out;
}

/** `value` escaped for a template literal. */
function templated(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/**
 * The base64 characters of `bytes` that do not depend on what surrounds them, when `offset`
 * bytes (0, 1 or 2) precede them in their 3-byte group.
 */
function base64Core(bytes: Uint8Array, offset: number): string {
  const padded = new Uint8Array(offset + bytes.length + 2);
  padded.set(bytes, offset);
  const encoded = encodeBase64(padded);
  const firstBit = offset * 8;
  const lastBit = firstBit + bytes.length * 8;
  return encoded.slice(Math.ceil(firstBit / 6), Math.floor(lastBit / 6));
}

const utf8 = new TextEncoder();

/** Characters that some string form escapes, or that start an escape sequence. */
const SPECIAL = new Set(['"', "'", '\\', '`', '$', ' ', '%', '&']);

/** Whether some string form of `value` differs from it. */
function hasSpecial(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    if (value.charCodeAt(index) < 0x20 || SPECIAL.has(value[index] as string)) return true;
  }
  return false;
}

/** The base64 and base64url search strings of `text`'s UTF-8 bytes. */
function base64Forms(text: string): ValueForm[] {
  const bytes = utf8.encode(text);
  const forms: ValueForm[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const core = base64Core(bytes, offset);
    if (core.length < MIN_BASE64_RUN) continue;
    forms.push({ form: 'base64', text: core });
    forms.push({ form: 'base64url', text: core.replace(/\+/g, '-').replace(/\//g, '_') });
  }
  return forms;
}

/**
 * The distinct search strings of `value`, decoded as the matcher reads text, the raw form first;
 * strings shorter than `minLength` are left out.
 */
export function valueForms(value: string, minLength: number): ValueForm[] {
  const written: ValueForm[] = [{ form: 'raw', text: value }];
  // A value without special characters reads the same in every string form.
  const special = hasSpecial(value);
  const json = special ? quoted(value, '"') : value;
  if (special) {
    written.push(
      { form: 'json-escaped', text: json },
      { form: 'json-escaped', text: quoted(json, '"') },
    );
  }
  if (value.length <= MAX_FULLY_ENCODED_LENGTH) {
    if (special) {
      written.push(
        { form: 'js-escaped', text: quoted(value, "'") },
        { form: 'js-escaped', text: templated(value) },
        { form: 'url-encoded', text: new URLSearchParams({ v: value }).toString().slice(2) },
      );
    }
    written.push(...base64Forms(value), ...(json === value ? [] : base64Forms(json)));
  }
  const seen = new Set<string>();
  const forms: ValueForm[] = [];
  for (const { form, text } of written) {
    const decoded = decodeEscapes(text);
    if (decoded.length < minLength || seen.has(decoded)) continue;
    seen.add(decoded);
    forms.push({ form, text: decoded });
  }
  return forms;
}
