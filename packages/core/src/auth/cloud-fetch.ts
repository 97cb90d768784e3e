/**
 * Calls to cloud credential sources (instance metadata services, token endpoints): one attempt
 * with a time limit, failures as `CREDENTIALS_UNAVAILABLE` naming the endpoint. Requests and
 * answers carry credentials, so neither is ever logged or quoted in an error.
 *
 * @module
 */
import { fetchWithTimeout, systemErrorCode } from '../api/fetch-with-timeout.js';
import { InfisicalError } from '../errors/infisical-error.js';
import type { AuthContext } from './auth-method.js';

/** Time limit of one cloud call, in ms (the official SDKs use 5 s for instance metadata). */
const CLOUD_TIMEOUT_MS = 5000;

/** One call of a cloud credential source. */
export interface CloudCall {
  /** What is fetched, for messages, e.g. `the EC2 instance metadata token`. */
  what: string;
  /** The full URL. Its query string is never shown in errors. */
  url: string;
  /** @default 'GET' */
  method?: 'GET' | 'PUT' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** How to fix a failure, ending the error message. */
  fix: string;
  /**
   * Quote the `error_description` or `error.message` of a JSON error answer (Google and Azure
   * token endpoints explain refusals there and never echo the request).
   * @default false
   */
  quoteError?: boolean;
}

/** The endpoint as shown in messages: origin and path, no query string. */
export function endpointOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  } catch {
    return 'an invalid URL';
  }
}

/**
 * Sends a cloud call and returns the body text of a 2xx answer.
 *
 * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` on a network error, a timeout or a non-2xx
 * answer, naming the endpoint and the reason (system error code or HTTP status).
 */
export async function cloudFetch(context: AuthContext, call: CloudCall): Promise<string> {
  const endpoint = endpointOf(call.url);
  const init: RequestInit = { method: call.method ?? 'GET' };
  if (call.headers !== undefined) init.headers = call.headers;
  if (call.body !== undefined) init.body = call.body;
  const outcome = await fetchWithTimeout(context.fetch, call.url, init, CLOUD_TIMEOUT_MS);
  if (!outcome.ok) {
    const reason =
      outcome.reason === 'timeout'
        ? `no answer within ${CLOUD_TIMEOUT_MS} ms`
        : (systemErrorCode(outcome.cause) ?? 'network error');
    throw unavailable(call, endpoint, reason, outcome.cause);
  }
  const { status, text } = outcome;
  if (status < 200 || status >= 300) {
    const quoted = call.quoteError ? quotedError(text) : undefined;
    throw unavailable(
      call,
      endpoint,
      `HTTP ${status}${quoted ? `: ${quoted}` : ''}`,
      undefined,
      status,
    );
  }
  return text;
}

/** Like {@link cloudFetch}, for a JSON object answer. */
export async function cloudFetchJson(
  context: AuthContext,
  call: CloudCall,
): Promise<Record<string, unknown>> {
  const text = await cloudFetch(context, call);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `Cannot get ${call.what} from ${endpointOf(call.url)}: the answer is not a JSON object. Fix: ${call.fix}`,
      { details: { endpoint: endpointOf(call.url) } },
    );
  }
  return value as Record<string, unknown>;
}

/** A string field of a cloud answer, or `CREDENTIALS_UNAVAILABLE` naming the field (never its value). */
export function stringField(
  answer: Record<string, unknown>,
  field: string,
  call: Pick<CloudCall, 'what' | 'url' | 'fix'>,
): string {
  const value = answer[field];
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) {
    throw new InfisicalError(
      'CREDENTIALS_UNAVAILABLE',
      `Cannot get ${call.what} from ${endpointOf(call.url)}: the answer has no usable "${field}". Fix: ${call.fix}`,
      { details: { endpoint: endpointOf(call.url) } },
    );
  }
  return value;
}

function unavailable(
  call: CloudCall,
  endpoint: string,
  reason: string,
  cause: unknown,
  status?: number,
): InfisicalError {
  return new InfisicalError(
    'CREDENTIALS_UNAVAILABLE',
    `Cannot get ${call.what} from ${endpoint} (${reason}). Fix: ${call.fix}`,
    { cause, details: status === undefined ? { endpoint } : { endpoint, status } },
  );
}

/** `error_description` (OAuth) or `error.message` (Google APIs) of a JSON error body, shortened. */
function quotedError(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as { error_description?: unknown; error?: unknown };
  const nested =
    typeof record.error === 'object' && record.error !== null
      ? (record.error as { message?: unknown }).message
      : undefined;
  const message = typeof record.error_description === 'string' ? record.error_description : nested;
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  const clean = message.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
