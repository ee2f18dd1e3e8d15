import { createServer } from 'node:net';
import { CliError } from './errors.js';

/** The one-line reason a listen on `host:port` failed, or undefined for an error that is not about the address. */
export function listenFailure(error: unknown, host: string, port: number): CliError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE')
    return new CliError(
      `cannot listen on ${address}: the port is in use (pick another with --port, or 0 for any free one)`,
    );
  if (code === 'EACCES') return new CliError(`cannot listen on ${address}: permission denied`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new CliError(`cannot listen on ${address}: no such interface here`);
  return undefined;
}

/**
 * Listens on `host:port` once and lets go, so that `serve` can refuse a busy port before it creates a database
 * and a root key it could then not show. Port 0 (any free port) needs no check.
 */
export async function assertCanListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ port, host, exclusive: true }, resolve);
    });
  } catch (error) {
    throw listenFailure(error, host, port) ?? error;
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
