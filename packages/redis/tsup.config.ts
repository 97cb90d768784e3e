import { libraryConfig } from '../../tsup.config.base.ts';

export default libraryConfig({ index: 'src/index.ts' });
