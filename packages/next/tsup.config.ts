import { libraryConfig } from '../../tsup.config.base.ts';

// `load-worker` is not exported: `withInfisical` starts it as a worker thread by file path.
// `shims` gives the CommonJS build an `import.meta.url` to find it.
export default libraryConfig(
  { index: 'src/index.ts', runtime: 'src/runtime.ts', 'load-worker': 'src/load-worker.ts' },
  { shims: true },
);
