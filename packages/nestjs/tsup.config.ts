import { packageBuild } from '../../tsup.package.js';

// Nest and its peers stay the application's own: one copy of Nest's metadata and DI container.
export default packageBuild(['src/index.ts'], { external: [/^@nestjs\//, 'reflect-metadata', 'rxjs'] });
