/**
 * Node-only helpers of `@infisical/core`: scanning built files for leaked private values.
 *
 * @module @infisical/core/node
 */
export { type ScanFilesOptions, scanFilesForLeaks } from './node/scan-files.js';
