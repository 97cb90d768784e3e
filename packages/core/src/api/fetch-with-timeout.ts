/**
 * One HTTP attempt with a time limit (the body included) and an outside abort signal: the single
 * fetch both the Infisical transport and the cloud credential fetchers use.
 *
 * @module
 */

/** The outcome of one attempt: an answer with its body text, or why there was none. */
export type AttemptOutcome =
  | { ok: true; status: number; headers: Headers; text: string }
  | {
      ok: false;
      /** `timeout`: the time limit passed; `closed`: the outside signal aborted; `network`: no answer. */
      reason: 'timeout' | 'closed' | 'network';
      cause: unknown;
    };

/**
 * Fetches `url` and reads the whole body within `timeoutMs`. Never throws: a failure is an
 * outcome, so each caller words its own error.
 */
export async function fetchWithTimeout(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<AttemptOutcome> {
  if (signal?.aborted) return { ok: false, reason: 'closed', cause: signal.reason };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await fetchFn(url, { ...init, signal: controller.signal });
    const text = await response.text();
    return { ok: true, status: response.status, headers: response.headers, text };
  } catch (cause) {
    const reason = timedOut ? 'timeout' : signal?.aborted ? 'closed' : 'network';
    return { ok: false, reason, cause };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The system error code behind a fetch failure (undici nests it in `cause`), if any. */
export function systemErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
