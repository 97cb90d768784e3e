/**
 * How an Infisical error answer becomes an {@link InfisicalError}: status and error name to a
 * code, the server's message and request id kept, and every field that can echo what the client
 * sent (zod's `received`, `input`) dropped. Used by the transport.
 *
 * @module
 */
import { InfisicalError, type InfisicalErrorCode, stripQuery } from '../errors/infisical-error.js';

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
 * echo a secret; request bodies, query strings and headers are never used. `rateLimited` (the
 * answer is the rate limiter's, whatever its status) makes the code `RATE_LIMITED`.
 */
export function errorFromResponse(
  status: number,
  body: unknown,
  request: { method: string; path: string },
  rateLimited = false,
): InfisicalError {
  const fields = isRecord(body) ? body : undefined;
  const errorName = typeof fields?.error === 'string' ? fields.error : undefined;
  const requestId = typeof fields?.reqId === 'string' ? fields.reqId : undefined;
  const code = rateLimited ? 'RATE_LIMITED' : codeFor(status, errorName);
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
  // Older servers (2024-10) answer their rate limit with a 500 that says only "Something went wrong".
  const note =
    rateLimited && status !== 429
      ? " (a rate limit: the answer carries the limiter's headers)"
      : '';
  const message =
    `Infisical answered ${label} for ${method} ${path}: ${serverMessage.replace(/\.+$/, '')}${note}` +
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

function truncate(text: string): string {
  return text.length <= MAX_SERVER_MESSAGE ? text : `${text.slice(0, MAX_SERVER_MESSAGE)}…`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
