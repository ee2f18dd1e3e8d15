import { nestHarness } from '../nest-harness.js';

export default nestHarness('fastify');
