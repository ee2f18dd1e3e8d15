import type { IncomingMessage, ServerResponse } from 'node:http';

/** How a fake key service misbehaves for the requests it receives while the fault is set. */
export type Fault =
  | { kind: 'none' }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'reset-mid-body' }
  | { kind: 'destroy-before-answer' }
  | { kind: 'non-json' }
  | { kind: 'oversized'; bytes: number };

/**
 * Applies `fault` to one request. Answers `true` when the fault took the request over (answered it, dropped it or
 * left it hanging) and `false` when the service should answer as usual, after any delay. `errorBody` is the service's
 * own error format for an injected status, so that clients parse what the real service would send.
 */
export async function misbehave(
  fault: Fault,
  request: IncomingMessage,
  response: ServerResponse,
  errorBody: (status: number) => string,
): Promise<boolean> {
  switch (fault.kind) {
    case 'none':
      return false;
    case 'delay':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return false;
    case 'hang':
      return true;
    case 'status':
      response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      response.end(fault.body ?? errorBody(fault.status));
      return true;
    case 'reset-mid-body':
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      response.write('{"meta":{"requestId":"req_x"},"data":{"val');
      setTimeout(() => response.socket?.destroy(), 5);
      return true;
    case 'destroy-before-answer':
      request.socket.destroy();
      return true;
    case 'non-json':
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>bad gateway</html>');
      return true;
    case 'oversized':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"data":"${'x'.repeat(fault.bytes)}"}`);
      return true;
  }
}
