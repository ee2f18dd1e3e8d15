import type { DenialResponse } from '@keyguard/core';
import type { FastifyReply } from 'fastify';

/** Writes a denial as built by core: its status, its headers and its problem details, nothing else. */
export function writeDenial(reply: FastifyReply, denial: DenialResponse): FastifyReply {
  return reply.code(denial.status).headers(denial.headers).send(JSON.stringify(denial.body));
}
