/**
 * The HTTP transport every Infisical API call goes through: URL building, JSON, timeouts,
 * retries, the client's cooldown after failures, the rate-limit budget (the server's
 * `Retry-After` remembered per rate-limit category, and shared with the fleet), aborting on
 * close, and typed errors.
 *
 * @module
 */

import { parseSiteUrl } from '../config/site-url.js';
import { InfisicalError, withContext } from '../errors/infisical-error.js';
import { errorFromResponse } from './error-body.js';
import { fetchWithTimeout, systemErrorCode } from './fetch-with-timeout.js';
import { type Logger, silentLogger } from './logger.js';
import {
  isRateLimitAnswer,
  MAX_RATE_LIMIT_WAIT_MS,
  type RateCategory,
  type RateLimitNotice,
  rateCategory,
  rateLimitResetMs,
} from './rate-limit.js';
import {
  backoffDelay,
  cooldownDelay,
  parseRetryAfter,
  type RetryOptions,
  resolveRetryOptions,
  shouldRetry,
} from './retry.js';

/** Options of {@link Transport}. */
export interface TransportOptions {
  /** Base URL of the Infisical instance, e.g. `https://app.infisical.com`; a path prefix is kept. */
  siteUrl: string;
  /**
   * The `fetch` to use, e.g. one with a proxy agent.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /**
   * Time limit of each attempt, including reading the body, in ms.
   * @default 10000
   */
  timeoutMs?: number;
  /** Retry settings; unset fields take {@link DEFAULT_RETRY_OPTIONS}. */
  retry?: Partial<RetryOptions>;
  /**
   * Receives one debug event per attempt (method, path, status, attempt, delay).
   * @default silentLogger
   */
  logger?: Logger;
  /** Waits between retries; tests inject one that records delays. */
  sleep?: (ms: number) => Promise<void>;
  /** Aborting it aborts requests in flight and refuses new ones with `CLOSED` (the client's `close()`). */
  signal?: AbortSignal;
  /** The clock of the cooldown, in ms. @default Date.now */
  now?: () => number;
  /** Hears each rate limit this transport met (the client tells its fleet). */
  onRateLimited?: (notice: RateLimitNotice) => void;
}

/** One call of the Infisical API. */
export interface ApiRequest {
  /** HTTP method. */
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** URL path from the site root, starting with `/`, segments already encoded, no query: e.g. `/api/v3/secrets/raw`. */
  path: string;
  /** Query parameters; `undefined` values are left out, booleans sent as `'true'`/`'false'`. */
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON when defined. */
  body?: unknown;
  /** Access token, sent as `Authorization: Bearer`; never stored, logged or put in errors. */
  token?: string;
  /** Whether repeating the request is harmless; GET is idempotent unless this says otherwise. */
  idempotent?: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const USER_AGENT = '@infisical/core';
const TOKEN_VALUE = /^[\x21-\x7e]+$/;

type AttemptResult =
  | { ok: true; status: number; value: unknown }
  | { ok: false; error: InfisicalError; retryAfterMs: number | undefined };

/**
 * Sends requests to one Infisical instance. It holds no token: each request carries its own,
 * so inspecting a transport can never reveal one.
 */
export class Transport {
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #retry: RetryOptions;
  readonly #logger: Logger;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #signal: AbortSignal | undefined;
  readonly #now: () => number;
  /**
   * The cooldown of each API area (`/api/v3/secrets`, `/api/v1/auth`…): requests that failed for
   * good in a row with a server-side failure, until when nothing is sent, and the failure that
   * is answered meanwhile. Areas apart, so failing logins do not stop reads, and the reverse.
   */
  readonly #cooldowns = new Map<string, Cooldown>();
  /**
   * The rate-limit budget: per category (`secrets`, `write`, `read`), until when nothing of it
   * is sent because the server (or another instance of the fleet) was refused with a rate limit.
   */
  readonly #rateLimits = new Map<RateCategory, Cooldown>();
  readonly #onRateLimited: ((notice: RateLimitNotice) => void) | undefined;

  /** @throws InfisicalError `CONFIG_INVALID` on a malformed site URL or retry options (the client checked the rest). */
  constructor(options: TransportOptions) {
    this.#baseUrl = parseSiteUrl(options.siteUrl);
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#signal = options.signal;
    this.#now = options.now ?? Date.now;
    this.#retry = resolveRetryOptions(options.retry);
    this.#logger = options.logger ?? silentLogger;
    this.#sleep = options.sleep ?? wait;
    this.#onRateLimited = options.onRateLimited;
  }

  /**
   * Holds back every request of `category` for `waitMs` (at most 10 minutes): another instance
   * of the fleet met a rate limit, and the instances share the server's budget (one IP behind a
   * NAT). Ignored when the cooldown is off (`maxCooldownMs: 0`).
   */
  holdBack(notice: RateLimitNotice): void {
    const waitMs = Math.min(MAX_RATE_LIMIT_WAIT_MS, Math.max(0, notice.waitMs));
    if (this.#retry.maxCooldownMs === 0 || !(waitMs > 0)) return;
    const until = this.#now() + waitMs;
    const current = this.#rateLimits.get(notice.category);
    if (current !== undefined && current.until >= until) return;
    const error = new InfisicalError(
      'RATE_LIMITED',
      `Another instance of this fleet was rate limited by Infisical on ${notice.category} requests. Fix: send fewer requests or raise the rate limit of the Infisical plan.`,
      { retryAfterMs: waitMs },
    );
    this.#rateLimits.set(notice.category, { failures: 1, until, error });
    this.#logger.debug('Infisical rate limit shared by the fleet', {
      category: notice.category,
      delayMs: waitMs,
    });
  }

  /** The base URL requests go to (the site URL without trailing slashes). */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /**
   * Sends `req`, retrying per the retry policy, and returns the parsed JSON body (`undefined`
   * for an empty or 204 answer).
   *
   * @throws InfisicalError with `details.attempts`: the mapped HTTP error, `NETWORK_ERROR`,
   * `TIMEOUT`, or `HTTP_ERROR` for a 2xx body that is not JSON. `CONFIG_INVALID` (before any
   * attempt) for a path with a query string or a token that cannot be sent in a header.
   */
  async request<T>(req: ApiRequest): Promise<T> {
    const path = req.path;
    const context = { method: req.method, path };
    const area = areaOf(path);
    const category = rateCategory(req.method, path);
    this.#checkOpen(context, area, category);
    // After a failure, the next request is a single probe: no retries until one succeeds.
    const probing = this.#cooldowns.has(area) || this.#rateLimits.has(category);
    const maxRetries = probing ? 0 : this.#retry.maxRetries;
    const url = this.#baseUrl + path + queryString(req.query);
    const init: RequestInit = { method: req.method, headers: this.#headers(req) };
    if (req.body !== undefined) init.body = JSON.stringify(req.body);

    for (let attempt = 1; ; attempt++) {
      const result = await this.#attempt(url, init, context);
      if (result.ok) {
        this.#cooldowns.delete(area);
        this.#rateLimits.delete(category);
        this.#logger.debug('Infisical request succeeded', {
          ...context,
          status: result.status,
          attempt,
        });
        return result.value as T;
      }
      const { error, retryAfterMs } = result;
      const fields = compact({ ...context, status: error.status, code: error.code, attempt });
      const retryable = attempt <= maxRetries && shouldRetry(error, req);
      if (!retryable || (retryAfterMs ?? 0) > this.#retry.maxRetryAfterMs) {
        this.#logger.debug('Infisical request failed', compact({ ...fields, retryAfterMs }));
        const failed = withAttempts(error, attempt, retryAfterMs);
        throw failed.code === 'RATE_LIMITED'
          ? this.#rateLimited(failed, category)
          : this.#failed(failed, area);
      }
      // A Retry-After of 0 does not shorten the backoff.
      const delayMs = Math.max(retryAfterMs ?? 0, backoffDelay(attempt - 1, this.#retry));
      this.#logger.debug('Infisical request failed, retrying', { ...fields, delayMs });
      await this.#wait(delayMs, context);
    }
  }

  /**
   * Refuses a request while the client cools down or its rate-limit category is held back (the
   * last failure, with `retryAfterMs` left and `details.cooldown`), or after close (`CLOSED`).
   */
  #checkOpen(
    context: { method: string; path: string },
    area: string,
    category: RateCategory,
  ): void {
    if (this.#signal?.aborted) throw closedError(context);
    const now = this.#now();
    const limited = this.#rateLimits.get(category);
    const cooldown =
      limited !== undefined && limited.until > now ? limited : this.#cooldowns.get(area);
    const left = cooldown === undefined ? 0 : cooldown.until - now;
    if (cooldown === undefined || left <= 0) return;
    const { error } = cooldown;
    const base = typeof error.details === 'object' && error.details !== null ? error.details : {};
    const why =
      cooldown === limited
        ? `Infisical rate-limited this client's ${category} requests`
        : 'Infisical failed recently';
    throw new InfisicalError(
      error.code,
      `Not sent: ${why}, so the client waits ${Math.ceil(left)} ms more before it sends again. Last failure: ${error.message}`,
      {
        cause: error,
        status: error.status,
        requestId: error.requestId,
        ...context,
        details: { ...base, cooldown: true },
        retryAfterMs: left,
      },
    );
  }

  /** Starts (or extends) the cooldown after a server-side failure; returns the error to throw. */
  #failed(error: InfisicalError, area: string): InfisicalError {
    if (!isServerSideFailure(error) || this.#retry.maxCooldownMs === 0) return error;
    const failures = (this.#cooldowns.get(area)?.failures ?? 0) + 1;
    const delay = cooldownDelay(failures, this.#retry, error.retryAfterMs ?? 0);
    this.#cooldowns.set(area, { failures, until: this.#now() + delay, error });
    this.#logger.debug('Infisical cooldown', { area, code: error.code, failures, delayMs: delay });
    return withContext(error, { retryAfterMs: Math.max(error.retryAfterMs ?? 0, delay) });
  }

  /**
   * Holds back the request's rate-limit category for the server's `Retry-After` (in full, at
   * most 10 minutes; at least the jittered cooldown) and tells the fleet; returns the error to
   * throw.
   */
  #rateLimited(error: InfisicalError, category: RateCategory): InfisicalError {
    if (this.#retry.maxCooldownMs === 0) return error;
    const failures = (this.#rateLimits.get(category)?.failures ?? 0) + 1;
    // The server's wait in full; never less than the jittered cooldown (a Retry-After of 0 is not "at once").
    const waitMs = Math.min(
      MAX_RATE_LIMIT_WAIT_MS,
      Math.max(Math.ceil(error.retryAfterMs ?? 0), cooldownDelay(failures, this.#retry)),
    );
    this.#rateLimits.set(category, { failures, until: this.#now() + waitMs, error });
    this.#logger.debug('Infisical rate limit', { category, failures, delayMs: waitMs });
    this.#onRateLimited?.({ category, waitMs });
    return withContext(error, { retryAfterMs: waitMs });
  }

  /** Waits between attempts; close() ends the wait with `CLOSED`. */
  async #wait(ms: number, context: { method: string; path: string }): Promise<void> {
    const signal = this.#signal;
    if (signal === undefined) return this.#sleep(ms);
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(closedError(context));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      if (signal.aborted) throw closedError(context);
      await Promise.race([this.#sleep(ms), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      aborted.catch(() => undefined);
    }
  }

  #headers(req: ApiRequest): Record<string, string> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': USER_AGENT,
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.token !== undefined) {
      // Checked here: fetch's own header error would quote the token.
      if (!TOKEN_VALUE.test(req.token)) {
        throw new InfisicalError(
          'CONFIG_INVALID',
          'The access token is empty or holds characters an HTTP header cannot carry (spaces, ' +
            'line breaks, non-ASCII). Fix: pass the token exactly as the login returned it.',
          { method: req.method, path: req.path },
        );
      }
      headers.authorization = `Bearer ${req.token}`;
    }
    return headers;
  }

  async #attempt(
    url: string,
    init: RequestInit,
    context: { method: string; path: string },
  ): Promise<AttemptResult> {
    const outcome = await fetchWithTimeout(this.#fetch, url, init, this.#timeoutMs, this.#signal);
    if (!outcome.ok) {
      const { cause } = outcome;
      if (outcome.reason === 'closed') {
        return { ok: false, error: closedError(context), retryAfterMs: undefined };
      }
      const code = systemErrorCode(cause);
      const error =
        outcome.reason === 'timeout'
          ? new InfisicalError(
              'TIMEOUT',
              `Infisical did not answer ${context.method} ${context.path} within ${this.#timeoutMs} ms. ` +
                'Fix: check that the server is reachable and healthy, or raise timeout.',
              { ...context, cause },
            )
          : new InfisicalError(
              'NETWORK_ERROR',
              `Could not reach Infisical for ${context.method} ${context.path}${code ? ` (${code})` : ''}. ` +
                'Fix: check siteUrl, DNS, proxy and TLS settings, and that the server is up.',
              { ...context, cause },
            );
      return { ok: false, error, retryAfterMs: undefined };
    }

    const { status, text } = outcome;
    if (status >= 200 && status < 300) {
      if (status === 204 || text.trim() === '') return { ok: true, status, value: undefined };
      try {
        return { ok: true, status, value: JSON.parse(text) };
      } catch {
        // The parser's message quotes the body, which can hold values: it is not kept as cause.
        const error = new InfisicalError(
          'HTTP_ERROR',
          `Infisical answered ${status} for ${context.method} ${context.path} with a body that ` +
            'is not JSON. Fix: check that siteUrl points at the Infisical API (for example ' +
            'https://app.infisical.com), not a web page or a proxy.',
          { ...context, status },
        );
        return { ok: false, error, retryAfterMs: undefined };
      }
    }

    const body = parseBody(text);
    const { headers } = outcome;
    const rateLimited = isRateLimitAnswer(status, headers);
    const error = errorFromResponse(status, body, context, rateLimited);
    const retryAfterMs =
      status === 429 || status >= 500
        ? (parseRetryAfter(headers.get('retry-after'), messageOf(body)) ??
          (rateLimited ? rateLimitResetMs(headers) : undefined))
        : undefined;
    return { ok: false, error, retryAfterMs };
  }
}

/** A cooldown of one API area. */
interface Cooldown {
  failures: number;
  until: number;
  error: InfisicalError;
}

/** The API area of a path: its first three segments (`/api/v3/secrets`, `/api/v1/auth`). */
function areaOf(path: string): string {
  return path.split('/', 4).join('/');
}

/** Failures that say the server is unwell (not the request): they start the cooldown. */
function isServerSideFailure(error: InfisicalError): boolean {
  if (error.status !== undefined) return error.status === 429 || error.status >= 500;
  return error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT';
}

function closedError(context: { method: string; path: string }): InfisicalError {
  return new InfisicalError(
    'CLOSED',
    `The client was closed, so ${context.method} ${context.path} was not completed. Fix: do not use a client after close().`,
    context,
  );
}

function queryString(query: ApiRequest['query']): string {
  if (query === undefined) return '';
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) {
      pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
    }
  }
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function messageOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null && 'message' in body ? body.message : undefined;
}

/** A copy of `fields` without its `undefined` values. */
function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function withAttempts(
  error: InfisicalError,
  attempts: number,
  retryAfterMs: number | undefined,
): InfisicalError {
  const base =
    typeof error.details === 'object' && error.details !== null ? error.details : undefined;
  return withContext(error, { details: { ...base, attempts }, retryAfterMs });
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
