/**
 * The `infisical()` middleware: Express wiring over one core handle (`createSecrets`). Every
 * request gets the handle's current values as `req.secrets`; the first requests wait for the
 * first load; while it fails they get a 503 with `Retry-After` from the handle's cooldown. The
 * handle's verbs sit on the middleware for code without a `req`.
 *
 * @module
 */
import { resolve } from 'node:path';
import {
  createSecrets,
  InfisicalError,
  type KeysOf,
  type SecretKey,
  type Secrets,
  type SecretsOptions,
  type SecretValues,
  type StandardSchemaV1,
  type WebhookReceiverOptions,
} from '@infisical/core';
import { writeSecretKeyTypes } from '@infisical/core/node';
import { unavailableError } from './unavailable.js';
import { type InfisicalWebhookHandler, webhookHandler } from './webhook.js';

/**
 * Options of {@link infisical}: core's options (documented there, each with its default and
 * environment variable) without the client-exposure ones, which a server has no use for.
 */
export interface InfisicalExpressOptions<K extends string = SecretKey>
  extends Omit<SecretsOptions<K>, 'publicPrefixes' | 'publicKeys'> {
  /**
   * After the first load from Infisical, write a declaration of the loaded key names (no
   * values) to this file, relative to the working directory, so `req.secrets.KEY` is typed and
   * an unknown key does not compile. Rewritten only when the keys change.
   */
  typesFile?: string;
}

/** The middleware `infisical()` returns: pass it to `app.use`; it also carries the handle's verbs. */
export interface InfisicalMiddleware<K extends string = SecretKey>
  extends Pick<
    Secrets<K>,
    'get' | 'getOrThrow' | 'values' | 'source' | 'refresh' | 'subscribe' | 'close'
  > {
  /** Sets `req.secrets`; the first requests wait for the first load, a failed load gives a 503. */
  (req: object, res: unknown, next: (error?: unknown) => void): void;
  /**
   * Loads now (or joins the load in flight), so a server can load before it listens. After a
   * failure, a new attempt starts once the handle's cooldown has passed.
   * @throws InfisicalError the load's error; `retryAfterMs` says when the next attempt can start.
   */
  ready(): Promise<void>;
  /**
   * A route handler receiving Infisical's signed webhooks: it verifies each delivery (HMAC,
   * replay window) and refreshes the secrets; a bad or replayed signature gets a 401.
   * `app.post('/hooks/infisical', secrets.webhook({ secret: process.env.INFISICAL_WEBHOOK_SECRET }))`.
   */
  webhook(options: WebhookReceiverOptions): InfisicalWebhookHandler;
}

/**
 * Express middleware over one Infisical secrets handle: `app.use(infisical(options))`.
 *
 * @param options - core's options; without them everything comes from `INFISICAL_*`.
 * @throws InfisicalError `CONFIG_INVALID` for malformed or unknown options.
 */
export function infisical<
  K extends string = SecretKey,
  S extends StandardSchemaV1 | undefined = undefined,
>(
  options: InfisicalExpressOptions<NoInfer<KeysOf<K, S>>> & { schema?: S } = {},
): InfisicalMiddleware<KeysOf<K, S>> {
  const { typesFile, ...rest } = options;
  const handle: Secrets<string> = createSecrets(rest as SecretsOptions);
  let typed = typesFile === undefined;
  const writeTypes = async (): Promise<void> => {
    if (typed || handle.source !== 'infisical') return;
    typed = true;
    const keys = Object.keys(handle.values);
    await writeSecretKeyTypes(resolve(typesFile as string), keys, {
      module: '@infisical/express',
    }).catch((error: unknown) =>
      rest.onError?.(InfisicalError.from(error, 'Writing typesFile failed')),
    );
  };
  const ready = (): Promise<void> => handle.ready().then(writeTypes);
  const serve = (req: object, next: (error?: unknown) => void): void => {
    (req as { secrets: SecretValues }).secrets = handle.values;
    next();
  };

  const middleware = (req: object, _res: unknown, next: (error?: unknown) => void): void => {
    if (handle.state === 'ready') serve(req, next);
    else
      ready().then(
        () => serve(req, next),
        (error: unknown) => next(unavailableError(error)),
      );
  };
  const verbs = {
    ready,
    get: handle.get.bind(handle),
    getOrThrow: handle.getOrThrow.bind(handle),
    refresh: handle.refresh.bind(handle),
    subscribe: handle.subscribe.bind(handle),
    close: handle.close.bind(handle),
    webhook: (webhookOptions: WebhookReceiverOptions) => webhookHandler(handle, webhookOptions),
  };
  Object.defineProperties(middleware, {
    values: { get: () => handle.values },
    source: { get: () => handle.source },
  });
  return Object.assign(middleware, verbs) as unknown as InfisicalMiddleware<KeysOf<K, S>>;
}
