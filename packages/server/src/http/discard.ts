import type { IncomingMessage } from 'node:http';

export const DEFAULT_MAX_DISCARD_BYTES = 16 * 1024 * 1024;
export const DEFAULT_DISCARD_TIMEOUT_MS = 10_000;

export interface DiscardLimits {
  /** The most body bytes thrown away; a longer body is cut. */
  maxBytes: number;
  /** How long to wait for the rest of the body. */
  timeoutMs: number;
}

/** `read`: nothing is left on the wire. `cut`: bytes may still come, so the connection must close. `gone`: the client left. */
export type DiscardOutcome = 'read' | 'cut' | 'gone';

/**
 * Reads and throws away what is left of a request's body, so that an answer sent before the body was read (a 400
 * for an oversized body, a 401…) reaches a client that is still sending. Closing a connection with unread bytes
 * makes the kernel reset it (RST), and the client gets EPIPE or ECONNRESET instead of the answer. Bounded: past
 * `maxBytes` or `timeoutMs` it gives up, and the caller closes the connection.
 */
export function discardBody(request: IncomingMessage, limits: DiscardLimits): Promise<DiscardOutcome> {
  if (request.complete) return Promise.resolve('read');
  if (request.destroyed) return Promise.resolve('gone');
  const declared = Number(request.headers['content-length']);
  // A declared body is either unread or read whole (Node stops at Content-Length): its length says it all.
  if (Number.isFinite(declared) && declared > limits.maxBytes) return Promise.resolve('cut');
  return new Promise((resolve) => {
    let discarded = 0;
    const finish = (outcome: DiscardOutcome) => {
      clearTimeout(timer);
      request.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError);
      if (outcome === 'cut') request.pause();
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > limits.maxBytes) finish('cut');
    };
    const onEnd = () => finish('read');
    const onClose = () => finish(request.complete ? 'read' : 'gone');
    const onError = () => finish('gone');
    const timer = setTimeout(() => finish('cut'), limits.timeoutMs);
    request.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onError);
    request.resume();
  });
}
