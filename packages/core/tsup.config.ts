import { packageBuild } from '../../tsup.package.js';

// The Node build (index), the Bun build (bun: fetch with node:crypto), the fetch build (edge), the subpaths
// key-service packages are built from (a runtime per build), and the explicit OpenTelemetry entry. The keys are the
// dist file names package.json `exports` points at. `shims`: `import.meta.url` (finding @opentelemetry/api from
// core's own location) becomes the file's URL in the CJS build.
export default packageBuild(
  {
    index: 'src/index.ts',
    bun: 'src/entries/index.bun.ts',
    edge: 'src/entries/index.edge.ts',
    service: 'src/entries/service.ts',
    runtime: 'src/entries/runtime.ts',
    'runtime-bun': 'src/entries/runtime.bun.ts',
    'runtime-edge': 'src/entries/runtime.edge.ts',
    opentelemetry: 'src/entries/opentelemetry.ts',
  },
  { shims: true },
);
