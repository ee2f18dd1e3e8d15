// The local key service speaking Clerk's machine auth, for bench/clerk-m2m.mjs: a workspace, two machines (the
// worker's tokens are granted to the api machine), reported over IPC with the instance and worker secret keys.
import { createServer } from 'node:http';
import { createKeyServer } from '@keyguard/server';
import { listening, reportOverIpc } from './ipc.mjs';

const keyServer = createKeyServer();
const { clerkSecretKey } = keyServer.bootstrap();
const api = keyServer.createMachine({ name: 'bench api' });
const worker = keyServer.createMachine({ name: 'bench worker', scopedMachines: [api.id] });

const server = createServer((request, response) => keyServer.handler(request, response));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1');
await listening(server);
reportOverIpc(server, () => ({ secretKey: clerkSecretKey, workerSecretKey: worker.secretKey }));
