/**
 * The plugin's user-facing errors: what failed and the way out, without the stack frames of the
 * code that noticed (a leak or an unreachable server is about the project, not a code location).
 *
 * @module
 */
import { InfisicalError, isInfisicalError } from '@infisical/core';

/** The plugin's name, as Vite prints it. */
export const PLUGIN_NAME = '@infisical/vite';

/** `error` with its stack reduced to its first line, so Vite prints the message alone. */
export function withoutFrames<E extends Error>(error: E): E {
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/**
 * Rethrows a failed load saying what failed and the way out, keeping the code and the request.
 * The core error's message is kept whole; its `cause` is not attached, because Vite prints the
 * whole cause chain (down to `fetch`'s internals) under the message.
 */
export function explainLoadFailure(error: unknown): never {
  if (!isInfisicalError(error)) throw error;
  // The environment is no way out of a failed check or a wrong option.
  const checkFailed = ['MISSING_SECRETS', 'SCHEMA_INVALID', 'CONFIG_INVALID'].includes(error.code);
  const wayOut = checkFailed
    ? ''
    : ' To run from the environment variables already set instead, pass fallbackToEnv: true ' +
      '(or set INFISICAL_SKIP=true to not contact Infisical at all).';
  throw withoutFrames(
    new InfisicalError(
      error.code,
      `[${PLUGIN_NAME}] Loading secrets from Infisical failed: ${error.message}${wayOut}`,
      {
        status: error.status,
        requestId: error.requestId,
        method: error.method,
        path: error.path,
        details: error.details,
      },
    ),
  );
}
