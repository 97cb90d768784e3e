/**
 * The logging hook of `@infisical/core`.
 *
 * @module
 */

/**
 * Receives debug events. Core never passes a secret value, token, query string or request body
 * in `message` or `fields`.
 */
export interface Logger {
  /** A debug event, with structured fields such as `method`, `path`, `status`, `attempt`. */
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** A {@link Logger} that discards everything; the default. */
export const silentLogger: Logger = {
  debug(): void {
    // Discard.
  },
};
