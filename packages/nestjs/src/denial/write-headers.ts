import type { HttpServer } from '@nestjs/common';

/** Sets headers through Nest's HTTP adapter, so the same code serves Express and Fastify responses. */
export function setHeaders(
  adapter: HttpServer,
  response: unknown,
  headers: Record<string, string>,
  except?: string,
): void {
  for (const name in headers) {
    if (name !== except) adapter.setHeader(response, name, headers[name]!);
  }
}
