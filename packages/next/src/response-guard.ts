/**
 * The runtime leak guard of `register({ leakGuard })`: in the Node.js server, the bodies of HTML
 * (`text/html`) and RSC (`text/x-component`) responses are searched, as they are written, for
 * every private value and Infisical credential, through the handle's scanner (`findLeaks`, which
 * follows rotation). A finding is reported once per key and path, naming the key, the form and
 * the path, never the value; in `block` mode the leaking chunk is not written and the response is
 * ended (a 500 when its headers are not sent yet, else the connection is destroyed).
 *
 * It wraps `http.ServerResponse.prototype.write` and `end` once. Next's compression (the
 * `compression` middleware of `next start`) replaces `write` and `end` on each response and
 * passes gzip bytes down to the prototype's methods; an accessor on the prototype sees that
 * assignment and wraps the replacement instead, so the body is searched before it is compressed.
 *
 * @module
 */
import { ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { InfisicalError, type LeakCheckValues, type LeakMatch } from '@infisical/core';

/** What the guard does with a finding. */
export type LeakGuardMode = 'report' | 'block';

/** The variable that sets `leakGuard` when the option is not given. */
export const LEAK_GUARD_VARIABLE = 'INFISICAL_LEAK_GUARD';

/** What the guard needs of a core handle. */
export interface GuardedSecrets {
  leakCheckValues(): LeakCheckValues;
  findLeaks(text: string, file?: string): LeakMatch[];
}

/** Content types whose bodies are searched. */
const CHECKED_TYPES = /^\s*(text\/html|text\/x-component)\b/i;

/** The widest form of one character (`&#x10FFFF;` is 10; `\uXXXX` is 6). */
const FORM_WIDTH = 10;

/** Values longer than this are found only within one chunk (the tail would cost too much). */
const LONGEST_SPANNED = 4096;

/** How many (key, path) pairs are remembered as reported before the memory starts afresh. */
const REPORTED_LIMIT = 10_000;

/** The body of a blocked response whose headers were not sent yet. */
const BLOCKED_BODY = 'Internal Server Error';

type Write = (this: ServerResponse, chunk: unknown, ...rest: unknown[]) => boolean;
type End = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

/** One response's scan. */
interface ResponseScan {
  /** Whether the content type was looked at (at the first write). */
  checked: boolean;
  /** Not HTML or RSC: passed through. */
  skipped: boolean;
  decoder: StringDecoder;
  /** The last characters of the body so far, for values split across chunks. */
  tail: string;
  /** Set once blocked: every later write is dropped, but the guard's own 500. */
  blocked: boolean;
  /** Set while the guard writes its own 500 body. */
  passing: boolean;
  /** Set when an instance-level `write` (compression) is wrapped: the prototype's is below it. */
  wrappedAbove: boolean;
}

interface Guard {
  mode: LeakGuardMode;
  secrets: GuardedSecrets;
  values?: LeakCheckValues;
  tailLength: number;
}

/** The prototype's own descriptors before the guard (absent: inherited from `OutgoingMessage`). */
interface Installed {
  write: PropertyDescriptor | undefined;
  end: PropertyDescriptor | undefined;
}

let guard: Guard | undefined;
let installed: Installed | undefined;
const scans = new WeakMap<ServerResponse, ResponseScan>();
const reported = new Set<string>();

/**
 * The `leakGuard` option, or `INFISICAL_LEAK_GUARD` (`report`, `block`, `off`) when it is not given.
 *
 * @throws InfisicalError `CONFIG_INVALID` for any other value, naming the accepted ones.
 */
export function leakGuardMode(
  option: unknown,
  env: Record<string, string | undefined> = process.env,
): LeakGuardMode | undefined {
  if (option === undefined) {
    const text = env[LEAK_GUARD_VARIABLE]?.trim();
    if (text === undefined || text === '' || text === 'off') return undefined;
    if (text === 'report' || text === 'block') return text;
    throw new InfisicalError(
      'CONFIG_INVALID',
      `${LEAK_GUARD_VARIABLE} must be report, block or off. Fix: set one of those, or unset it.`,
    );
  }
  if (option === false) return undefined;
  if (option === 'report' || option === 'block') return option;
  throw new InfisicalError(
    'CONFIG_INVALID',
    `register() option leakGuard must be 'report', 'block' or false (got ${describe(option)}). Fix: pass leakGuard: 'report' to warn, 'block' to also stop the response, or leave it out.`,
    { details: { option: 'leakGuard' } },
  );
}

/** The type of a wrong option value, for messages (never the value itself). */
function describe(value: unknown): string {
  if (typeof value === 'string') return `an unknown string`;
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * Starts guarding the responses of this process with `secrets`' values (replacing a guard
 * already running). Wraps `ServerResponse.prototype.write` and `end` once.
 */
export function startLeakGuard(secrets: GuardedSecrets, mode: LeakGuardMode): void {
  guard = { mode, secrets, tailLength: 0 };
  if (installed !== undefined) return;
  const proto = ServerResponse.prototype as unknown as Record<string, unknown>;
  const write = proto.write as Write;
  const end = proto.end as End;
  installed = {
    write: Object.getOwnPropertyDescriptor(proto, 'write'),
    end: Object.getOwnPropertyDescriptor(proto, 'end'),
  };
  defineGuarded(proto, 'write', guardedWrite(write, true));
  defineGuarded(proto, 'end', guardedEnd(end, true));
}

/** Stops the guard and gives `ServerResponse.prototype` its own `write` and `end` back. */
export function stopLeakGuard(): void {
  guard = undefined;
  reported.clear();
  if (installed === undefined) return;
  const proto = ServerResponse.prototype as unknown as Record<string, unknown>;
  for (const name of ['write', 'end'] as const) {
    const own = installed[name];
    if (own === undefined) delete proto[name];
    else Object.defineProperty(proto, name, own);
  }
  installed = undefined;
}

/**
 * Puts `method` on the prototype as an accessor: reading gives the guarded method; assigning on
 * a response (compression) defines that response's own method as the assigned one, guarded.
 */
function defineGuarded(proto: Record<string, unknown>, name: 'write' | 'end', method: unknown) {
  Object.defineProperty(proto, name, {
    configurable: true,
    get: () => method,
    set(this: ServerResponse, replacement: unknown) {
      let own = replacement;
      if (typeof replacement === 'function' && guard !== undefined) {
        const scan = scanOf(this);
        scan.wrappedAbove = true;
        own =
          name === 'write'
            ? guardedWrite(replacement as Write, false)
            : guardedEnd(replacement as End, false);
      }
      Object.defineProperty(this, name, {
        configurable: true,
        writable: true,
        enumerable: true,
        value: own,
      });
    },
  });
}

function scanOf(response: ServerResponse): ResponseScan {
  let scan = scans.get(response);
  if (scan === undefined) {
    scan = {
      checked: false,
      skipped: false,
      decoder: new StringDecoder('utf8'),
      tail: '',
      blocked: false,
      passing: false,
      wrappedAbove: false,
    };
    scans.set(response, scan);
  }
  return scan;
}

/** `write`, searching each chunk first (`atPrototype`: below any instance-level replacement). */
function guardedWrite(write: Write, atPrototype: boolean): Write {
  return function write_(this: ServerResponse, chunk: unknown, ...rest: unknown[]): boolean {
    if (!allows(this, atPrototype, chunk, rest[0], false)) {
      const callback = rest.find((item) => typeof item === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }
    return write.call(this, chunk, ...rest);
  };
}

/** `end`, searching its last chunk and the decoder's rest first. */
function guardedEnd(end: End, atPrototype: boolean): End {
  return function end_(this: ServerResponse, ...args: unknown[]): ServerResponse {
    const chunk = typeof args[0] === 'function' ? undefined : args[0];
    if (!allows(this, atPrototype, chunk, args[1], true)) return this;
    return end.apply(this, args);
  };
}

/** Whether the write of `chunk` may go on (`false`: blocked, drop it). */
function allows(
  response: ServerResponse,
  atPrototype: boolean,
  chunk: unknown,
  encoding: unknown,
  last: boolean,
): boolean {
  const current = guard;
  if (current === undefined) return true;
  const scan = scans.get(response) ?? (atPrototype ? scanOf(response) : undefined);
  if (scan === undefined) return true;
  if (scan.passing || scan.skipped) return true;
  if (scan.blocked) return false;
  // Below a wrapped replacement the bytes are already searched (and may be compressed).
  if (atPrototype && scan.wrappedAbove) return true;
  if (!scan.checked) {
    const type = contentType(response);
    if (type === undefined) return true;
    scan.checked = true;
    if (!CHECKED_TYPES.test(type)) {
      scan.skipped = true;
      return true;
    }
  }
  let text = chunk === undefined || chunk === null ? '' : decode(scan, chunk, encoding);
  if (last) text += scan.decoder.end();
  if (text === '') return true;
  const tailLength = tailLengthOf(current);
  const searched = scan.tail + text;
  scan.tail = tailLength === 0 ? '' : searched.slice(-tailLength);
  const path = pathOf(response);
  const findings = current.secrets.findLeaks(searched, path);
  if (findings.length === 0) return true;
  for (const finding of findings) report(finding, path, current.mode, contentType(response));
  if (current.mode === 'report') return true;
  block(response, scan);
  return false;
}

/** The response's content type, once it is known (set, or in the sent header block). */
function contentType(response: ServerResponse): string | undefined {
  const header = response.getHeader('content-type');
  if (typeof header === 'string') return header;
  if (Array.isArray(header)) return header[0];
  const sent = (response as unknown as { _header?: unknown })._header;
  if (typeof sent !== 'string') return undefined;
  return /\r\ncontent-type:\s*([^\r\n]*)/i.exec(sent)?.[1] ?? '';
}

function decode(scan: ResponseScan, chunk: unknown, encoding: unknown): string {
  if (typeof chunk === 'string') {
    return typeof encoding === 'string' && encoding !== 'utf8' && encoding !== 'utf-8'
      ? Buffer.from(chunk, encoding as BufferEncoding).toString('utf8')
      : chunk;
  }
  if (chunk instanceof Uint8Array) return scan.decoder.write(chunk as Buffer);
  return '';
}

/** Characters kept between chunks: a value split at a boundary is found in tail + next chunk. */
function tailLengthOf(current: Guard): number {
  const values = current.secrets.leakCheckValues();
  if (values === current.values) return current.tailLength;
  let longest = 0;
  for (const value of Object.values(values.privateValues))
    longest = Math.max(longest, value.length);
  for (const { value } of values.credentials) longest = Math.max(longest, value.length);
  current.values = values;
  current.tailLength = Math.max(0, Math.min(longest, LONGEST_SPANNED) * FORM_WIDTH - 1);
  return current.tailLength;
}

/** The request's path, without its query (which may hold anything). */
function pathOf(response: ServerResponse): string {
  const url = (response as unknown as { req?: { url?: unknown } }).req?.url;
  if (typeof url !== 'string') return '(unknown path)';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function report(
  finding: LeakMatch,
  path: string,
  mode: LeakGuardMode,
  type: string | undefined,
): void {
  const id = `${finding.key}\u0000${path}`;
  if (reported.has(id)) return;
  if (reported.size >= REPORTED_LIMIT) reported.clear();
  reported.add(id);
  const what = finding.kind === 'credential' ? 'Infisical credential' : 'private secret value';
  const body = type?.toLowerCase().includes('x-component') ? 'RSC' : 'HTML';
  const outcome =
    mode === 'block'
      ? 'the response was stopped'
      : 'it was served (leakGuard: report; block stops it)';
  console.warn(
    `⚠ Infisical: ${what} ${finding.key} in the ${body} response to ${path} (${finding.form}); ${outcome}. ` +
      'Fix: do not render it or pass it to a client component; read it only in server code.',
  );
}

/** Ends a blocked response: a generic 500 if nothing was sent yet, else the connection is cut. */
function block(response: ServerResponse, scan: ResponseScan): void {
  scan.blocked = true;
  if (response.headersSent) {
    response.destroy();
    return;
  }
  for (const name of response.getHeaderNames()) response.removeHeader(name);
  response.statusCode = 500;
  response.setHeader('content-type', 'text/plain; charset=utf-8');
  response.setHeader('cache-control', 'no-store');
  scan.passing = true;
  try {
    response.end(BLOCKED_BODY);
  } finally {
    scan.passing = false;
  }
}
