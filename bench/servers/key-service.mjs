// The local key service for benchmarks, mounted in a plain node:http server that can add latency
// (LATENCY_MS, like a nearby cloud region) and counts verifyKey calls (the cold-storm benchmark reads it).
import { createServer } from 'node:http';
import { createKeyServer } from '@keyguard/server';
import { listening, reportOverIpc } from './ipc.mjs';

const latencyMs = Number(process.env.LATENCY_MS ?? 0);
const keyServer = createKeyServer({ rootKey: process.env.ROOT_KEY });
keyServer.bootstrap();
let verifyCalls = 0;

const server = createServer((request, response) => {
  if (request.url === '/v2/keys.verifyKey') verifyCalls += 1;
  if (latencyMs > 0) setTimeout(() => keyServer.handler(request, response), latencyMs);
  else keyServer.handler(request, response);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1');
await listening(server);
reportOverIpc(server, () => ({ verifyCalls }));
