import { ConfigurationError } from '../errors.js';
import type { TransportOptions } from './types.js';

/** Largest response body read by default (`maxResponseBytes`). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const DEFAULT_CONNECTIONS = 256;
const MAX_CONNECTIONS = 65_536;

/** Checks transport options once, when a client or provider is created (never per request). */
export function checkTransportOptions(options: TransportOptions): void {
  const { maxResponseBytes, connections, pipelining, allowH2 } = options;
  const positiveInteger = (value: unknown, max: number) =>
    value === undefined || (Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= max);
  if (!positiveInteger(maxResponseBytes, Number.MAX_SAFE_INTEGER))
    throw new ConfigurationError('maxResponseBytes must be a positive integer');
  if (!positiveInteger(connections, MAX_CONNECTIONS))
    throw new ConfigurationError(`connections must be an integer from 1 to ${MAX_CONNECTIONS}`);
  if (!positiveInteger(pipelining, 100)) throw new ConfigurationError('pipelining must be an integer from 1 to 100');
  if (allowH2 !== undefined && typeof allowH2 !== 'boolean')
    throw new ConfigurationError('allowH2 must be true or false');
  if (allowH2 === true && pipelining !== undefined && pipelining > 1) {
    throw new ConfigurationError(
      'pipelining applies to HTTP/1.1 connections; with allowH2, HTTP/2 connections carry many requests as streams: give one or the other',
    );
  }
}
