import { packageBuild } from '../../tsup.package.js';

// `shims`: `import.meta.url` (finding the optional better-sqlite3 from this package's own location, on Node 20)
// becomes the file's URL in the CJS build.
export default packageBuild(['src/index.ts'], { shims: true });
