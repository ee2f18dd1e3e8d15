import { EXPRESS_MAJORS } from '../../../packages/express/test/support/majors.js';
import { expressHarness } from './express.js';

// Express 4 is a dev dependency of @keyguard/express only (the `express4` alias), so it is taken from that
// package's test support rather than imported here, where it would not resolve.
const express4 = EXPRESS_MAJORS.find((major) => major.name === 'Express 4')!.express;

export default expressHarness('express4', express4);
