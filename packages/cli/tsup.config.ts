import { packageBuild } from '../../tsup.package.js';

// `bin`: the `keyguard` command (package.json `bin`).
export default packageBuild({ index: 'src/index.ts', bin: 'src/entries/bin.ts' });
