import { createServer, type Server, type Socket } from 'node:net';
import { runtime } from '@keyguard/core/runtime';

// How core's transport, as this runtime's export conditions pick it, names the failures of a key service: one that
// refuses the connection (nothing was sent: safe to repeat), one that drops it after the request arrived, one that
// never answers. Prints `result <JSON>`.
async function listening(onConnection: (socket: Socket) => void): Promise<{ url: string; server: Server }> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

// A deadline no loaded machine reaches on loopback, but for the silent service, which must time out.
async function failureOf(baseUrl: string, timeoutMs = 15_000): Promise<unknown> {
  const transport = runtime.createTransport(baseUrl);
  try {
    const answer = await transport.request({
      method: 'POST',
      path: '/v2/keys.verifyKey',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      timeoutMs,
    });
    return { answered: answer.status };
  } catch (error) {
    const { code, sent } = error as { code?: string; sent?: boolean };
    return { code, sent };
  } finally {
    await transport.close();
  }
}

// Refused: a port below 1024 nothing listens on. Not a free port given back: another test's server, started meanwhile,
// could be handed it (test/support/loopback-server.ts, closedPortUrl).
const REFUSED_URL = 'http://127.0.0.1:1';
const dropping = await listening((socket) => socket.once('data', () => socket.destroy()));
const silent = await listening((socket) => socket.resume());

const result = {
  refused: await failureOf(REFUSED_URL),
  dropped: await failureOf(dropping.url),
  silent: await failureOf(silent.url, 300),
};
dropping.server.close();
silent.server.close();
console.log(`result ${JSON.stringify(result)}`);
process.exit(0);
