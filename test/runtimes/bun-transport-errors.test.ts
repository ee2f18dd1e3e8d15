import { transportErrorsAsOnNode } from './support/transport-errors.js';

// Core's Bun build (Bun's fetch, which puts a system error's code on the error itself) against failing key services.
transportErrorsAsOnNode('bun', "core's transport on Bun");
