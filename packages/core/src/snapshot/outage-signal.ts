/**
 * Telling early that Infisical is down while a start waits for it: the first refused connection
 * or 5xx/429 answer the client's `fetch` sees, or a deadline. The transport would otherwise
 * retry for seconds before the load fails.
 *
 * @module
 */
import type { InfisicalErrorCode } from '../errors/infisical-error.js';

/** What was seen: the error code the failure will surface as. */
export type Outage = Extract<
  InfisicalErrorCode,
  'NETWORK_ERROR' | 'SERVER_ERROR' | 'RATE_LIMITED' | 'TIMEOUT'
>;

/** Whether an error says Infisical could not serve (rather than refusing the request). */
export function isOutage(code: InfisicalErrorCode): code is Outage {
  return (
    code === 'NETWORK_ERROR' ||
    code === 'SERVER_ERROR' ||
    code === 'RATE_LIMITED' ||
    code === 'TIMEOUT'
  );
}

/** Watches a client's requests for the first sign of an outage. */
export class OutageSignal {
  #notify: ((outage: Outage) => void) | undefined;

  /** `fetchFn`, reporting failed connections and 5xx/429 answers to this signal. */
  watch(fetchFn: typeof fetch): typeof fetch {
    return async (input, init) => {
      let response: Response;
      try {
        response = await fetchFn(input, init);
      } catch (error) {
        this.#saw('NETWORK_ERROR');
        throw error;
      }
      if (response.status === 429) this.#saw('RATE_LIMITED');
      else if (response.status >= 500) this.#saw('SERVER_ERROR');
      return response;
    };
  }

  /**
   * Resolves with the first outage seen from now on (start the requests right before), or
   * `TIMEOUT` after `timeoutMs`; `cancel()` stops the wait (the promise then never settles).
   */
  wait(timeoutMs: number): { outage: Promise<Outage>; cancel(): void } {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outage = new Promise<Outage>((resolve) => {
      this.#notify = resolve;
      timer = setTimeout(() => resolve('TIMEOUT'), timeoutMs);
    });
    return {
      outage,
      cancel: () => {
        clearTimeout(timer);
        this.#notify = undefined;
      },
    };
  }

  #saw(outage: Outage): void {
    this.#notify?.(outage);
  }
}
