import { createServer, type RequestListener, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

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

/**
 * A loopback URL whose connections are refused at once: a port below 1024 that nothing listens on. Not a free port
 * taken and given back: the system hands ports out again, and a test server started meanwhile in another worker (port
 * 0) may get it and answer (seen on a loaded machine: a "refused" connection answered as a bad response). Ports below
 * 1024 are never handed out for port 0.
 */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}`;
}

/** The port of `closedPortUrl()`. */
export async function closedPort(): Promise<number> {
  for (const port of REFUSING_PORT_CANDIDATES) if (await refuses(port)) return port;
  throw new Error(`something listens on 127.0.0.1 at each of ports ${REFUSING_PORT_CANDIDATES.join(', ')}`);
}

/** tcpmux, discard, daytime, chargen, echo: services no test machine runs, each tried in turn. */
const REFUSING_PORT_CANDIDATES = [1, 9, 13, 19, 7];

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
