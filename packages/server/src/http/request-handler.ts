import type { IncomingMessage, ServerResponse } from 'node:http';

/** A plain `node:http` request listener: the service, mountable in any `node:http` server. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;
