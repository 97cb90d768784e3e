/**
 * Node-only helpers of `@infisical/core`: scanning built files for leaked private values,
 * and writing the declaration file that types secret keys.
 *
 * @module @infisical/core/node
 */
export { type ScanFilesOptions, scanFilesForLeaks } from './node/scan-files.js';
export {
  renderSecretKeyTypes,
  type SecretKeyTypesOptions,
  writeSecretKeyTypes,
} from './node/secret-key-types.js';
