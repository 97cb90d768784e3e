/**
 * `@infisical/express`: Express middleware over one `@infisical/core` secrets handle. It puts
 * the current secrets on `req.secrets`, follows rotation through core's refresh, answers 503
 * while the first load fails, and carries the handle's verbs. Express 5 and 4, ESM and CommonJS.
 *
 * ```ts
 * const secrets = infisical();
 * app.use(secrets);
 * app.get('/', (req, res) => res.send(req.secrets.GREETING));
 * await secrets.ready(); // optional: load before listening
 * ```
 *
 * @module @infisical/express
 */
import type { SecretKey, SecretValues } from '@infisical/core';

export type {
  InfisicalSecretKeys,
  SecretsChangeEvent,
  SecretsSource,
  SecretValues,
} from '@infisical/core';
export { InfisicalError, type InfisicalErrorCode, isInfisicalError } from '@infisical/core';
export {
  type InfisicalExpressOptions,
  type InfisicalMiddleware,
  infisical,
} from './middleware.js';
export type { SecretsUnavailableError } from './unavailable.js';
export type { InfisicalWebhookHandler } from './webhook.js';

declare global {
  namespace Express {
    /** Express's request, with what `@infisical/express` adds (declaration merging). */
    interface Request {
      /**
       * The secrets of the `infisical()` middleware: key → value, frozen, null-prototype, the
       * current values when the request arrived. Keys are typed when declared
       * (`InfisicalSecretKeys`, e.g. by the `typesFile` option).
       */
      readonly secrets: SecretValues<SecretKey>;
    }
  }
}
