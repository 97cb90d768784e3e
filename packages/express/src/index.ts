/**
 * `@infisical/express`: Express middleware that loads Infisical secrets once (through
 * `@infisical/core`'s loader), puts them on `req.secrets`, and follows rotation through the core
 * cache. Works with Express 5 and 4, from ESM and CommonJS.
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
import type { InfisicalSecrets } from './middleware.js';

export { InfisicalError, type InfisicalErrorCode, isInfisicalError } from '@infisical/core';
export {
  type InfisicalExpressOptions,
  type InfisicalMiddleware,
  type InfisicalSecrets,
  infisical,
} from './middleware.js';
export type { SecretsUnavailableError } from './unavailable.js';

declare global {
  namespace Express {
    /** Express's request, with what `@infisical/express` adds (declaration merging). */
    interface Request {
      /**
       * The secrets loaded by the `infisical()` middleware: key → value, frozen, the current
       * snapshot when the request arrived. Present on every request the middleware ran for.
       */
      readonly secrets: InfisicalSecrets;
    }
  }
}
