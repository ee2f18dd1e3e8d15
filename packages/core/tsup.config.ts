import { packageBuild } from '../../tsup.package.js';

// The Node build (index), the Bun build (bun: fetch with node:crypto), the fetch build (edge), the subpaths
// key-service packages are built from (a runtime per build), and the explicit OpenTelemetry entry. `shims`:
// `import.meta.url` (finding @opentelemetry/api from core's own location) becomes the file's URL in the CJS build.
export default packageBuild(
  [
    'src/index.ts',
    'src/bun.ts',
    'src/edge.ts',
    'src/service.ts',
    'src/runtime.ts',
    'src/runtime-bun.ts',
    'src/runtime-edge.ts',
    'src/opentelemetry.ts',
  ],
  { shims: true },
);
