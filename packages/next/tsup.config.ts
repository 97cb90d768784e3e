import { libraryConfig } from '../../tsup.config.base.ts';

// `load-worker` and `scan-worker` are not exported: `withInfisical` starts them as worker threads
// by file path. `shims` gives the CommonJS build an `import.meta.url` to find them.
export default libraryConfig(
  {
    index: 'src/index.ts',
    runtime: 'src/runtime.ts',
    'load-worker': 'src/load-worker.ts',
    'scan-worker': 'src/scan-worker.ts',
  },
  { shims: true },
);
