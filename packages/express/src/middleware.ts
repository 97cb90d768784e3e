/**
 * The `infisical()` middleware: one shared initial load through core's `loadSecrets`, a frozen
 * snapshot on `req.secrets`, rotation followed through the core cache in the background.
 *
 * @module
 */
import { InfisicalError, loadSecrets, type Secrets, type SecretsOptions } from '@infisical/core';
import { retryDelay, type SecretsUnavailableError, unavailableError } from './unavailable.js';

/** How often, at most, requests check the core cache for rotated values. */
const REVALIDATE_EVERY_MS = 1000;
/** `read()` reports its failures through `onError` and serves the last values; nothing is left to handle. */
const ignore = (): void => undefined;

/** The secrets on `req.secrets`: key → value, frozen. */
export type InfisicalSecrets = Readonly<Record<string, string>>;

/**
 * Options of {@link infisical}: core's loader options (documented there, each with its default
 * and environment variable) without the client-exposure ones, which a server has no use for.
 */
export interface InfisicalExpressOptions
  extends Omit<SecretsOptions, 'injectEnv' | 'publicPrefixes' | 'publicKeys'> {
  /**
   * Also write the secrets into `process.env`, for code that reads it (core's `injectEnv`).
   * Variables already set are kept unless `overrideEnv`; the ones written follow rotation.
   * @default false
   */
  attachToProcessEnv?: boolean;
}

/** The middleware `infisical()` returns: pass it to `app.use`. */
export interface InfisicalMiddleware {
  /** Sets `req.secrets`; the first requests wait for the initial load, failed loads give 503. */
  (req: object, res: unknown, next: (error?: unknown) => void): void;
  /**
   * Loads now (or joins the load in flight), so a server can load before it listens. After a
   * failure, a call starts a new attempt at once.
   * @throws SecretsUnavailableError when the load fails.
   */
  ready(): Promise<void>;
  /**
   * The current secrets, for code that has no `req`.
   * @throws InfisicalError before the first successful load.
   */
  secrets(): InfisicalSecrets;
  /** Stops following rotation (and closes the client the middleware created). */
  close(): void;
}

/**
 * Express middleware that loads Infisical secrets once and sets `req.secrets` on every request.
 *
 * @param options - core's loader options; without them everything comes from `INFISICAL_*`.
 */
export function infisical(options: InfisicalExpressOptions = {}): InfisicalMiddleware {
  const { attachToProcessEnv, ...rest } = options;
  const loadOptions: SecretsOptions = { ...rest, injectEnv: attachToProcessEnv ?? false };
  let loaded: Secrets | undefined;
  /** Whether requests revalidate: values from Infisical (not `skip` or `fallbackToEnv`), not closed. */
  let following = false;
  let current: InfisicalSecrets | undefined;
  let loading: Promise<void> | undefined;
  let failures = 0;
  let failure: { error: SecretsUnavailableError; retryAt: number } | undefined;
  let revalidateAt = 0;

  const load = (): Promise<void> => {
    loading ??= loadSecrets(loadOptions)
      .then(
        (result) => {
          loaded = result;
          following = result.source === 'infisical';
          current = snapshotOf(result);
          result.subscribe(() => {
            current = snapshotOf(result);
          });
          failures = 0;
          failure = undefined;
        },
        (cause: unknown) => {
          const delay = retryDelay(++failures);
          failure = { error: unavailableError(cause, delay), retryAt: Date.now() + delay };
          throw failure.error;
        },
      )
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };

  const middleware = (req: object, _res: unknown, next: (error?: unknown) => void): void => {
    if (current !== undefined) {
      (req as { secrets: InfisicalSecrets }).secrets = current;
      // At most once a second, a request reads through the core cache in the background: a
      // refetch once its TTL has passed; changes reach `current` through `subscribe`.
      if (following) {
        const now = Date.now();
        if (now >= revalidateAt) {
          revalidateAt = now + REVALIDATE_EVERY_MS;
          loaded?.read().catch(ignore);
        }
      }
      next();
    } else if (failure && !loading && Date.now() < failure.retryAt) {
      next(failure.error);
    } else {
      load().then(() => {
        (req as { secrets: InfisicalSecrets }).secrets = current as InfisicalSecrets;
        next();
      }, next);
    }
  };

  return Object.assign(middleware, {
    ready: (): Promise<void> => (current === undefined ? load() : Promise.resolve()),
    secrets(): InfisicalSecrets {
      if (current !== undefined) return current;
      throw (
        failure?.error ??
        new InfisicalError(
          'CONFIG_INVALID',
          'Secrets are not loaded yet. Fix: await middleware.ready() before reading secrets() outside a request.',
        )
      );
    },
    close(): void {
      following = false;
      loaded?.close();
    },
  });
}

/**
 * What `req.secrets` holds: Infisical's values, or, when the load used the environment instead
 * (`skip`, `fallbackToEnv`), the environment variables as they are, like core's checks.
 */
function snapshotOf(loaded: Secrets): InfisicalSecrets {
  if (loaded.source === 'infisical') return Object.freeze({ ...loaded.values });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return Object.freeze(env);
}
