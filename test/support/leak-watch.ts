import { ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, expect } from 'vitest';
import { findLeaks, leakRegistry, recordOutput } from './secrets.js';

// Runs in every test file (vitest setupFiles): records what is logged and every error response body written
// by any server in the process, and asserts at the end that no registered key or secret appears in any of it.
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
for (const method of consoleMethods) {
  const original = console[method].bind(console);
  console[method] = (...parts: unknown[]) => {
    recordOutput(...parts.map((part) => (part instanceof Error ? inspect(part, { depth: 5 }) : part)));
    original(...parts);
  };
}

type Writer = (chunk: unknown, ...rest: unknown[]) => unknown;
const recordIfError = (response: ServerResponse, chunk: unknown) => {
  if (response.statusCode >= 400 && chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
    recordOutput(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
  }
};
const originalWrite = ServerResponse.prototype.write as Writer;
const originalEnd = ServerResponse.prototype.end as Writer;
ServerResponse.prototype.write = function write(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
  recordIfError(this, chunk);
  return originalWrite.call(this, chunk, ...rest);
} as typeof ServerResponse.prototype.write;
ServerResponse.prototype.end = function end(this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
  recordIfError(this, chunk);
  return originalEnd.call(this, chunk, ...rest);
} as typeof ServerResponse.prototype.end;

afterAll(() => {
  const registry = leakRegistry();
  expect(findLeaks(registry.texts, registry.secrets), 'keys or secrets found in logs or error responses').toEqual([]);
});
