import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A `node:http` server on a free loopback port, for fakes and harnesses. `stop()` destroys open connections rather
 * than waiting for them: clients under test keep keep-alive pools, and a suite must not hang on their idle sockets.
 */
export class LoopbackServer {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** `http://127.0.0.1:<port>` once started. */
  url = '';

  /** Serves `handler`, or takes over a server built elsewhere (a framework's adaptor). */
  constructor(handler: RequestListener | Server) {
    this.server = typeof handler === 'function' ? createServer(handler) : handler;
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

/** A loopback port with nothing listening: connections are refused at once. */
export async function closedPortUrl(): Promise<string> {
  const server = new LoopbackServer(createServer());
  const url = await server.start();
  await server.stop();
  return url;
}
