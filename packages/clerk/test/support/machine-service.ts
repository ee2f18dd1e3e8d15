import type { IncomingMessage, ServerResponse } from 'node:http';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { LoopbackServer } from '../../../../test/support/loopback-server.js';
import { registerSecret } from '../../../../test/support/secrets.js';

/**
 * The local key service speaking Clerk's machine auth, behind a loopback front that counts requests by path and can
 * answer the JWKS path with a 503 (Clerk's JWKS endpoint down). `clockOffsetMs` moves the service's clock.
 */
export class MachineService {
  clockOffsetMs = 0;
  jwksDown = false;
  readonly calls = new Map<string, number>();
  readonly keyServer: KeyServer = createKeyServer({ clock: () => Date.now() + this.clockOffsetMs });
  private readonly front = new LoopbackServer((request, response) => this.handle(request, response));
  secretKey = '';
  baseUrl = '';

  async start(): Promise<void> {
    const { clerkSecretKey } = this.keyServer.bootstrap();
    if (!clerkSecretKey) throw new Error('the key server did not generate a Clerk secret key');
    registerSecret(clerkSecretKey);
    this.secretKey = clerkSecretKey;
    this.baseUrl = `${await this.front.start()}/v1`;
  }

  async stop(): Promise<void> {
    await this.front.stop();
    await this.keyServer.stop();
  }

  callsTo(path: string): number {
    return this.calls.get(path) ?? 0;
  }

  /** A machine and its secret key (registered with the leak watch). */
  machine(name: string, scopedMachines: string[] = []): { id: string; secretKey: string } {
    const made = this.keyServer.createMachine({ name, scopedMachines });
    registerSecret(made.secretKey);
    return { id: made.id, secretKey: made.secretKey };
  }

  /** `POST /m2m_tokens` with the machine's secret key, as `@clerk/backend`'s `m2m.createToken` sends it. */
  async mint(machineSecretKey: string, fields: Record<string, unknown> = {}): Promise<{ id: string; token: string }> {
    const response = await fetch(`${this.baseUrl.slice(0, -'/v1'.length)}/m2m_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${machineSecretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(fields),
    });
    const body = (await response.json()) as { id: string; token: string };
    if (response.status !== 201) throw new Error(`mint answered ${response.status}`);
    registerSecret(body.token);
    return body;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '').replace(/^\/v1/, '');
    this.calls.set(path, (this.calls.get(path) ?? 0) + 1);
    if (this.jwksDown && path === '/jwks') {
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[]}');
      return;
    }
    this.keyServer.handler(request, response);
  }
}
