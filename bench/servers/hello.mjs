// A bare node:http hello world: the ceiling any HTTP service on this machine can reach.
import { createServer } from 'node:http';
import { listening, reportOverIpc } from './ipc.mjs';

const payload = JSON.stringify({ hello: 'world' });
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}).listen(0, '127.0.0.1');
await listening(server);
reportOverIpc(server);
