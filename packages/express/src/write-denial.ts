import type { DenialResponse } from '@keyguard/core';
import type { Response } from 'express';

/** Writes a denial as built by core: its status, its headers and its problem details, nothing else. */
export function writeDenial(response: Response, denial: DenialResponse): void {
  response.status(denial.status).set(denial.headers).send(JSON.stringify(denial.body));
}
