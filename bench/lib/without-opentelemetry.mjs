// Preloaded (`--import`) in the "API absent" telemetry configuration: @opentelemetry/api cannot be resolved in this
// process by `require` (how core looks for it), as in an app that does not install it (this workspace has it as a
// dev dependency of core).
import Module from 'node:module';

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveWithoutOpenTelemetry(request, ...rest) {
  if (request === '@opentelemetry/api' || request.startsWith('@opentelemetry/api/')) {
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolveFilename.call(this, request, ...rest);
};
