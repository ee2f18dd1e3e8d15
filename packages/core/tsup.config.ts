import { packageBuild } from '../../tsup.package.js';

// The Node build (index), the fetch build (edge), and the subpaths key-service packages are built from.
export default packageBuild(['src/index.ts', 'src/edge.ts', 'src/service.ts', 'src/runtime.ts', 'src/runtime-edge.ts']);
