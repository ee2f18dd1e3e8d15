import { coreRuntimeAsOnNode } from './support/core-runtime.js';

// Core's Node build (undici, node:crypto) on Deno next to the same build on Node.
coreRuntimeAsOnNode('deno', "core's Node build on Deno");
