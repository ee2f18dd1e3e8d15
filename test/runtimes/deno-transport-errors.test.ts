import { transportErrorsAsOnNode } from './support/transport-errors.js';

// Core's Node build (undici) on Deno against failing key services.
transportErrorsAsOnNode('deno', "core's transport on Deno");
