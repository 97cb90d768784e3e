/**
 * The one error class of `@infisical/core`, its codes, its JSON form, and the normaliser that
 * turns anything thrown (or an error's JSON from another thread or process) into one.
 *
 * @module
 */

/**
 * What went wrong, as a stable machine-readable string. Branch on this, not on messages.
 */
export type InfisicalErrorCode =
  /** An option is missing or malformed (site URL, credentials shape, cache settings...). */
  | 'CONFIG_INVALID'
  /** A login call (Universal Auth and others) was refused: wrong client id or secret. */
  | 'AUTH_FAILED'
  /** The server refused the access token: missing, expired, revoked or malformed (401, 403 TokenError). */
  | 'UNAUTHORIZED'
  /** The identity is authenticated but not allowed to do this (403). */
  | 'PERMISSION_DENIED'
  /** The server answered 404: the project, environment, folder or secret version does not exist or is outside the identity's scope. */
  | 'NOT_FOUND'
  /** The server rejected the request's parameters (400, 422, or any `ValidationFailure` body). */
  | 'VALIDATION_FAILED'
  /** The resource already exists or changed concurrently (409). */
  | 'CONFLICT'
  /** Too many requests, and retries were exhausted or the server asked to wait too long (429). */
  | 'RATE_LIMITED'
  /** The server failed (5xx). */
  | 'SERVER_ERROR'
  /** The server does not support what the call asked and answered something else (a 2024 server returns the current version when a past one is asked). */
  | 'UNSUPPORTED_BY_SERVER'
  /** Any other non-2xx answer, or a 2xx answer whose body is not the JSON the client expects. */
  | 'HTTP_ERROR'
  /** The request never got an answer: DNS, refused or reset connection, TLS failure. */
  | 'NETWORK_ERROR'
  /** An attempt took longer than the configured timeout and was aborted. */
  | 'TIMEOUT'
  /** Symmetric encryption or decryption failed: bad key, iv or tag, tampered data, invalid UTF-8. */
  | 'CRYPTO_ERROR'
  /** No credentials could be found in options or environment variables. */
  | 'CREDENTIALS_UNAVAILABLE'
  /** Keys the application asked for (or declared as required) are absent. */
  | 'MISSING_SECRETS'
  /** Secret values do not satisfy the application's schema. */
  | 'SCHEMA_INVALID'
  /** A secret value was found where it must not be (a client bundle, a log line, a response). */
  | 'LEAK_DETECTED'
  /** Secrets were read synchronously before their first load finished. */
  | 'NOT_READY'
  /** The client or handle was closed: in-flight requests are aborted, new ones refused. */
  | 'CLOSED'
  /** The cache store failed; the client goes on with an in-memory store. */
  | 'STORE_FAILED'
  /**
   * A last-known-good snapshot was not used (`details.reason`: `expired`, `tampered`, `foreign`,
   * `malformed`, `unreadable`, `unsafe`, `invalid`, `no-key`); the start goes on without it.
   */
  | 'SNAPSHOT_REJECTED'
  /** The last-known-good snapshot could not be saved (`details.reason`); the app goes on. */
  | 'SNAPSHOT_WRITE_FAILED'
  /** The fleet's shared store (`fleet` option) failed or is slow; the instance works on its own until it answers. */
  | 'FLEET_UNAVAILABLE'
  /** A webhook delivery was refused: missing, malformed, wrong, expired or replayed signature, or a body that is not Infisical's. */
  | 'WEBHOOK_REJECTED'
  /** Something other than an Infisical error was thrown (a bug, a throwing hook or listener). */
  | 'INTERNAL_ERROR';

/** What a code looks like; a code this copy does not know (a newer copy's) is still restored. */
const CODE_SHAPE = /^[A-Z][A-Z_]{1,39}$/;

/** Options of the {@link InfisicalError} constructor. Every field is optional. */
export interface InfisicalErrorOptions {
  /** The underlying error, kept as the ES2022 `cause`. */
  cause?: unknown;
  /** HTTP status of the answer that caused the error. */
  status?: number | undefined;
  /** The server's request id (`reqId` of the error body), to quote to Infisical support. */
  requestId?: string | undefined;
  /** HTTP method of the failed request. */
  method?: string | undefined;
  /** URL path of the failed request, without query string. */
  path?: string | undefined;
  /** Structured, already sanitised detail: it must never hold a secret value or token. */
  details?: unknown;
  /** How long to wait before trying again, in ms, when the server or a cooldown says so. */
  retryAfterMs?: number | undefined;
}

/** A cause as it appears in JSON: an Infisical error whole, anything else as its name and message. */
export type InfisicalErrorCauseJSON = InfisicalErrorJSON | { name: string; message: string };

/** The plain-object form of an {@link InfisicalError}, as returned by `toJSON()`. */
export interface InfisicalErrorJSON extends Omit<InfisicalErrorFields, 'cause'> {
  name: 'InfisicalError';
  code: InfisicalErrorCode;
  message: string;
  cause: InfisicalErrorCauseJSON | undefined;
}

/** Every field of an error beside code and message, each present (possibly undefined). */
export interface InfisicalErrorFields {
  cause: unknown;
  status: number | undefined;
  requestId: string | undefined;
  method: string | undefined;
  path: string | undefined;
  details: unknown;
  retryAfterMs: number | undefined;
}

const ERROR_BRAND: symbol = /* @__PURE__ */ Symbol.for('@infisical/core.error');
/** How deep a cause chain is followed in JSON (a guard against cycles). */
const MAX_CAUSE_DEPTH = 8;

/**
 * The error thrown by every part of `@infisical/core`. Its message names the problem and the
 * fix, never a secret value or token; `code` says what went wrong.
 */
export class InfisicalError extends Error {
  override readonly name = 'InfisicalError';
  /** What went wrong; see {@link InfisicalErrorCode}. */
  readonly code: InfisicalErrorCode;
  /** HTTP status of the answer, when the error came from one. */
  readonly status: number | undefined;
  /** The server's request id (`reqId`), when the error came from an Infisical answer. */
  readonly requestId: string | undefined;
  /** HTTP method of the failed request. */
  readonly method: string | undefined;
  /** URL path of the failed request, without query string. */
  readonly path: string | undefined;
  /** Structured, sanitised detail (for example validation issues or `attempts`). */
  readonly details: unknown;
  /** How long to wait before trying again, in ms (`Retry-After`, a cooldown, a load backoff). */
  readonly retryAfterMs: number | undefined;

  /**
   * @param code - what went wrong.
   * @param message - the problem and the fix, without any secret value.
   * @param options - cause and request context.
   */
  constructor(code: InfisicalErrorCode, message: string, options: InfisicalErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    this.code = code;
    this.status = options.status;
    this.requestId = options.requestId;
    this.method = options.method;
    this.path = options.path === undefined ? undefined : stripQuery(options.path);
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
  }

  /**
   * The one normaliser: an {@link InfisicalError} (of any copy of this package) is returned as
   * it is; its JSON (`toJSON()`, sent across a worker thread or a process) is restored with code,
   * status, request id, method, path, details and cause chain; anything else thrown becomes
   * `INTERNAL_ERROR` with the original as `cause` (its message is not copied into ours).
   *
   * @param value - what was caught.
   * @param context - what was being done, for the message of a foreign error (e.g. "An onChange listener threw").
   */
  static from(value: unknown, context = 'An unexpected error occurred'): InfisicalError {
    if (isInfisicalError(value)) return value;
    if (isErrorJSON(value)) return fromJSON(value, 0);
    const kind = value instanceof Error ? value.name : typeof value;
    return new InfisicalError(
      'INTERNAL_ERROR',
      `${context.replace(/\.+$/, '')} (${kind}). Fix: see the cause; if it comes from @infisical/core, report it.`,
      { cause: value },
    );
  }

  /**
   * What `util.inspect` and `console.log` show: code, message and request context, and the cause
   * as one line — not a chain of stack frames from deep inside `fetch`. `error.stack` still holds
   * the stack.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const context = [
      this.status === undefined ? '' : `status ${this.status}`,
      this.requestId === undefined ? '' : `request ${this.requestId}`,
    ].filter(Boolean);
    const cause =
      this.cause instanceof Error
        ? `\n  cause: ${this.cause.name}: ${this.cause.message.split('\n')[0]}`
        : '';
    return `InfisicalError [${this.code}]: ${this.message}${context.length ? ` (${context.join(', ')})` : ''}${cause}`;
  }

  /**
   * A plain object for logs, JSON and `postMessage`: every field and the cause chain (a cause
   * that is not an Infisical error as its name and message only), no stack.
   */
  toJSON(): InfisicalErrorJSON {
    return toJSON(this, 0);
  }
}

/**
 * Whether `value` is an {@link InfisicalError}, including one created by another copy of this
 * package (it checks a global brand, not `instanceof`).
 */
export function isInfisicalError(value: unknown): value is InfisicalError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[ERROR_BRAND] === true
  );
}

/** A copy of `error` with other request context, details or wait (same code, message and cause). */
export function withContext(error: InfisicalError, changes: InfisicalErrorOptions): InfisicalError {
  return new InfisicalError(error.code, error.message, { ...optionsOf(error), ...changes });
}

/** The constructor options that rebuild `error`'s fields. */
function optionsOf(error: InfisicalError): InfisicalErrorFields {
  const { cause, status, requestId, method, path, details, retryAfterMs } = error;
  return { cause, status, requestId, method, path, details, retryAfterMs };
}

/** A URL path without its query string or fragment. */
export function stripQuery(path: string): string {
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}

function toJSON(error: InfisicalError, depth: number): InfisicalErrorJSON {
  const { code, message } = error;
  const fields = optionsOf(error);
  return {
    name: 'InfisicalError',
    code,
    message,
    ...fields,
    cause: causeJSON(fields.cause, depth + 1),
  };
}

function causeJSON(cause: unknown, depth: number): InfisicalErrorCauseJSON | undefined {
  if (cause === undefined || depth > MAX_CAUSE_DEPTH) return undefined;
  if (isInfisicalError(cause)) return toJSON(cause, depth);
  if (cause instanceof Error) return { name: cause.name, message: cause.message };
  return { name: typeof cause, message: '' };
}

function isErrorJSON(value: unknown): value is InfisicalErrorJSON {
  if (typeof value !== 'object' || value === null) return false;
  const json = value as Partial<InfisicalErrorJSON>;
  return (
    json.name === 'InfisicalError' &&
    typeof json.code === 'string' &&
    CODE_SHAPE.test(json.code) &&
    typeof json.message === 'string'
  );
}

function fromJSON(json: InfisicalErrorJSON, depth: number): InfisicalError {
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' ? value : undefined;
  const number = (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  return new InfisicalError(json.code, json.message, {
    cause: restoreCause(json.cause, depth + 1),
    status: number(json.status),
    requestId: text(json.requestId),
    method: text(json.method),
    path: text(json.path),
    details: json.details,
    retryAfterMs: number(json.retryAfterMs),
  });
}

function restoreCause(cause: unknown, depth: number): unknown {
  if (depth > MAX_CAUSE_DEPTH || typeof cause !== 'object' || cause === null) return undefined;
  if (isErrorJSON(cause)) return fromJSON(cause, depth);
  const { name, message } = cause as { name?: unknown; message?: unknown };
  const error = new Error(typeof message === 'string' ? message : '');
  if (typeof name === 'string') error.name = name;
  return error;
}
