import type { DenialResponse } from '@keyguard/core';
import type { Context } from 'koa';

/** Writes a denial as built by core: its status, its headers and its problem details, nothing else. */
export function writeDenial(ctx: Context, denial: DenialResponse): void {
  ctx.status = denial.status;
  // Headers first: Koa keeps a Content-Type that is already set when the body is assigned.
  ctx.set(denial.headers);
  ctx.body = JSON.stringify(denial.body);
}
