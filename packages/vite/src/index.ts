/**
 * `@infisical/vite`: Infisical secrets in Vite. `plugins: [infisical()]` loads them in Vite's
 * config step into `process.env`, exposes only the public keys to client code as
 * `import.meta.env.KEY`, reloads the browser when one rotates on the dev server, and fails a build
 * whose client output holds a private value. Server code reads the rest from
 * `@infisical/vite/server`.
 *
 * @module @infisical/vite
 */
import { infisical } from './plugin.js';

export type { InfisicalSecretKeys, LeakCheckOptions } from '@infisical/core';
export { InfisicalError, type InfisicalErrorCode, isInfisicalError } from '@infisical/core';
export type { InfisicalViteOptions } from './options.js';
export { infisical };

// The one default export of the repository: Vite plugins are conventionally default-imported
// (`import infisical from '@infisical/vite'`), so the plugin is also the default export.
export default infisical;
