// The local key service as `keyguard serve --db <file>` runs it (SQLite on disk, WAL), for the verifyKey benchmark.
// SERVER_ENTRY: another checkout's built @keyguard/server (dist/index.js), to measure two commits side by side.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { listening, reportOverIpc } from './ipc.mjs';

const { createKeyServer } = process.env.SERVER_ENTRY
  ? await import(pathToFileURL(process.env.SERVER_ENTRY).href)
  : await import('@keyguard/server');
const keyServer = createKeyServer({ rootKey: process.env.ROOT_KEY, database: process.env.DATABASE ?? ':memory:' });
keyServer.bootstrap();

const server = createServer(keyServer.handler);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1');
await listening(server);
reportOverIpc(server);
