/**
 * The one error class of `@infisical/core`, its codes, and the mapping from Infisical's HTTP
 * error bodies to it.
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
  /** The project, environment, folder or secret does not exist or is outside the identity's scope (404). */
  | 'NOT_FOUND'
  /** The server rejected the request's parameters (400, 422, or any `ValidationFailure` body). */
  | 'VALIDATION_FAILED'
  /** The resource already exists or changed concurrently (409). */
  | 'CONFLICT'
  /** Too many requests, and retries were exhausted or the server asked to wait too long (429). */
  | 'RATE_LIMITED'
  /** The server failed (5xx). */
  | 'SERVER_ERROR'
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
  /** Secrets the application declared as required are absent. */
  | 'MISSING_SECRETS'
  /** Secret values do not satisfy the application's schema. */
  | 'SCHEMA_INVALID'
  /** A secret value was found where it must not be (a client bundle, a log line, a response). */
  | 'LEAK_DETECTED';

/** Options of the {@link InfisicalError} constructor. Every field is optional. */
export interface InfisicalErrorOptions {
  /** The underlying error, kept as the ES2022 `cause`. */
  cause?: unknown;
  /** HTTP status of the answer that caused the error. */
  status?: number;
  /** The server's request id (`reqId` of the error body), to quote to Infisical support. */
  requestId?: string;
  /** HTTP method of the failed request. */
  method?: string;
  /** URL path of the failed request, without query string. */
  path?: string;
  /** Structured, already sanitised detail: it must never hold a secret value or token. */
  details?: unknown;
}

/** The plain-object form of an {@link InfisicalError}, as returned by `toJSON()`. */
export interface InfisicalErrorJSON {
  name: 'InfisicalError';
  code: InfisicalErrorCode;
  message: string;
  status: number | undefined;
  requestId: string | undefined;
  method: string | undefined;
  path: string | undefined;
  details: unknown;
}

const ERROR_BRAND: symbol = Symbol.for('@infisical/core.error');

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

  /** A plain object for logs and JSON: no cause, no stack. */
  toJSON(): InfisicalErrorJSON {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      requestId: this.requestId,
      method: this.method,
      path: this.path,
      details: this.details,
    };
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

/** A zod issue as the server sends it, after every `received` and `input` field is dropped. */
export interface ValidationIssue {
  /** Where the problem is, e.g. `['secretPath']`. */
  path: Array<string | number>;
  /** What is wrong with it. */
  message: string;
  /** The zod issue code, e.g. `invalid_type`. */
  code?: string;
  /** Any other fields of the issue (expected type, options...), sanitised. */
  [field: string]: unknown;
}

/** Keys whose values can echo what the client sent, and so a secret. */
const ECHO_KEYS = new Set(['received', 'input']);
const MAX_SERVER_MESSAGE = 500;
const MAX_DEPTH = 8;

const FIX_HINTS: Partial<Record<InfisicalErrorCode, string>> = {
  UNAUTHORIZED: 'check the credentials or token',
  PERMISSION_DENIED: 'give the identity access to this project/environment',
  NOT_FOUND: 'check projectId, environment and path',
  VALIDATION_FAILED: 'check the request parameters',
  CONFLICT: 'the resource already exists or changed; read it again before writing',
  RATE_LIMITED: 'send fewer requests or raise the rate limit of the Infisical plan',
  SERVER_ERROR: 'retry later; if it persists, report the request id to the Infisical operator',
  HTTP_ERROR: 'check that siteUrl points at the Infisical API',
};

/**
 * Builds the {@link InfisicalError} for a non-2xx Infisical answer. The body is Infisical's
 * `{ reqId, statusCode, message, error, details }` when the server produced it, but any JSON,
 * text or empty body is tolerated. Validation issues lose their `received` fields, which can
 * echo a secret; request bodies, query strings and headers are never used.
 */
export function errorFromResponse(
  status: number,
  body: unknown,
  request: { method: string; path: string },
): InfisicalError {
  const fields = isRecord(body) ? body : undefined;
  const errorName = typeof fields?.error === 'string' ? fields.error : undefined;
  const requestId = typeof fields?.reqId === 'string' ? fields.reqId : undefined;
  const code = codeFor(status, errorName);
  const method = request.method.toUpperCase();
  const path = stripQuery(request.path);

  let serverMessage: string;
  let issues: ValidationIssue[] | undefined;
  if (fields === undefined) {
    serverMessage = textBodyMessage(body);
  } else if (Array.isArray(fields.message)) {
    issues = fields.message.map(toValidationIssue);
    serverMessage = issues.map(summariseIssue).join('; ') || 'no detail given';
  } else if (typeof fields.message === 'string' && fields.message.trim() !== '') {
    serverMessage = truncate(fields.message.trim());
  } else {
    serverMessage = 'no error message in the response';
  }

  const details: Record<string, unknown> = {};
  if (issues !== undefined) details.issues = issues;
  if (fields?.details !== undefined) details.serverDetails = sanitise(fields.details, 0);

  const label = errorName === undefined ? `${status}` : `${status} ${errorName}`;
  const hint = FIX_HINTS[code];
  const message =
    `Infisical answered ${label} for ${method} ${path}: ${serverMessage.replace(/\.+$/, '')}` +
    (hint === undefined ? '' : `. Fix: ${hint}.`);

  return new InfisicalError(code, message, {
    status,
    requestId,
    method,
    path,
    details: Object.keys(details).length === 0 ? undefined : details,
  });
}

function codeFor(status: number, errorName: string | undefined): InfisicalErrorCode {
  if (errorName === 'ValidationFailure') return 'VALIDATION_FAILED';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return errorName === 'TokenError' ? 'UNAUTHORIZED' : 'PERMISSION_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 400 || status === 422) return 'VALIDATION_FAILED';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'SERVER_ERROR';
  return 'HTTP_ERROR';
}

function textBodyMessage(body: unknown): string {
  if (typeof body !== 'string') return 'no error message in the response';
  const text = body.trim();
  // An HTML page (proxy, wrong siteUrl) says nothing useful; short plain text does.
  if (text === '' || text.startsWith('<')) return 'no error message in the response';
  return truncate(text.replace(/\s+/g, ' '));
}

function toValidationIssue(raw: unknown): ValidationIssue {
  const clean = sanitise(isRecord(raw) ? raw : {}, 0) as Record<string, unknown>;
  const path = Array.isArray(clean.path)
    ? clean.path.filter(
        (part): part is string | number => typeof part === 'string' || typeof part === 'number',
      )
    : [];
  const message = typeof clean.message === 'string' ? clean.message : 'invalid value';
  return { ...clean, path, message };
}

function summariseIssue(issue: ValidationIssue): string {
  return issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`;
}

/**
 * A JSON-like deep copy without any key that can echo the client's input. zod 3 also puts the
 * rejected value into some messages ("received 'hunter2'" for enums): those are redacted too.
 */
function sanitise(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) {
    return depth >= MAX_DEPTH ? [] : value.map((item) => sanitise(item, depth + 1));
  }
  if (!isRecord(value)) return value;
  if (depth >= MAX_DEPTH) return {};
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!ECHO_KEYS.has(key)) copy[key] = sanitise(item, depth + 1);
  }
  const message = copy.message;
  if (typeof message === 'string') {
    copy.message = [...ECHO_KEYS].reduce((text, key) => redactEcho(text, value[key]), message);
  }
  return copy;
}

function redactEcho(message: string, echoed: unknown): string {
  if (typeof echoed !== 'string' && typeof echoed !== 'number' && typeof echoed !== 'boolean') {
    return message;
  }
  let redacted = message;
  for (const quote of ["'", '"', '`']) {
    redacted = redacted.split(`${quote}${String(echoed)}${quote}`).join('[redacted]');
  }
  return redacted;
}

function stripQuery(path: string): string {
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}

function truncate(text: string): string {
  return text.length <= MAX_SERVER_MESSAGE ? text : `${text.slice(0, MAX_SERVER_MESSAGE)}…`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
