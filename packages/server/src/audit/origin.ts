import type { IncomingMessage } from 'node:http';
import type { AuditOrigin } from './types.js';

/** Enough to tell clients apart; a longer header is cut (it is the client's to choose, and stored per entry). */
export const USER_AGENT_MAX_LENGTH = 120;

/**
 * The peer address of the connection and its `User-Agent`, cut to `USER_AGENT_MAX_LENGTH` characters with control
 * characters dropped. `X-Forwarded-For` is not read: any client can send it, and the service has no trusted proxy.
 */
export function auditOrigin(request: IncomingMessage): AuditOrigin {
  const agent = request.headers['user-agent'];
  const printable = agent === undefined ? '' : [...agent].filter((char) => char >= ' ' && char !== '\u007f').join('');
  return {
    remoteAddress: request.socket.remoteAddress ?? null,
    userAgent: printable === '' ? null : printable.slice(0, USER_AGENT_MAX_LENGTH),
  };
}
