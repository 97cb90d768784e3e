/**
 * Node-only helpers of `@infisical/core`: scanning a build output folder for leaked private values.
 *
 * @module @infisical/core/node
 */
export {
  type DirectoryLeakReport,
  type ScanDirectoryOptions,
  type ScanFilesOptions,
  scanDirectory,
  scanFilesForLeaks,
} from './node/scan-files.js';
export type { SkippedFile } from './node/text-files.js';
