import { packageBuild } from '../../tsup.package.js';

// Two entries: `index` (route handlers, Pages API routes; core resolved by conditions) and `edge` (middleware;
// imports `@keyguard/core/edge`, so it never reaches core's Node build). `next` and core stay external.
export default packageBuild(
  { index: 'src/index.ts', edge: 'src/entries/index.edge.ts' },
  {
    target: 'es2022',
    external: ['next', /^next\//, /^@keyguard\/core/],
  },
);
