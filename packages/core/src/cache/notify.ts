/**
 * Calling listeners so that none can break the caller or the others: a throw or a rejection is
 * reported, never propagated, never an unhandled rejection.
 *
 * @module
 */

/**
 * Calls every listener with `event`, in order; failures go to `report` with `what` naming the
 * listener kind (e.g. `An onChange listener`).
 */
export function notifyAll<E>(
  listeners: Iterable<(event: E) => unknown>,
  event: E,
  report: (error: unknown, context: string) => void,
  what: string,
): void {
  for (const listener of [...listeners]) {
    try {
      const result = listener(event);
      if (result instanceof Promise) {
        result.catch((error: unknown) => report(error, `${what} failed`));
      }
    } catch (error) {
      report(error, `${what} threw`);
    }
  }
}
