import { createRequire } from 'node:module';
import express5 from 'express';
import express4 from 'express4';

const require = createRequire(import.meta.url);

/** One major of the peer range `^4.21.0 || ^5.0.0`: its `express()` and the version installed. */
export interface ExpressMajor {
  name: string;
  express: typeof express5;
  version: string;
}

/** Both majors the package accepts, as installed here (Express 4 through the `express4` alias). */
export const EXPRESS_MAJORS: readonly ExpressMajor[] = [
  { name: 'Express 5', express: express5, version: (require('express/package.json') as { version: string }).version },
  { name: 'Express 4', express: express4, version: (require('express4/package.json') as { version: string }).version },
];
