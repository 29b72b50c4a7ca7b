import { libraryConfig } from '../../scripts/lib/tsup-library.js';

export default libraryConfig;
