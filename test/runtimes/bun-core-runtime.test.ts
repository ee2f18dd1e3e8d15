import { coreRuntimeAsOnNode } from './support/core-runtime.js';

// Core's Bun build (Bun's fetch, node:crypto, Node's OpenTelemetry discovery) next to the Node build on Node.
coreRuntimeAsOnNode('bun', "core's Bun build on Bun");
