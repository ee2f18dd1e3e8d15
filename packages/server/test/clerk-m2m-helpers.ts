/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire format, checked by assertions */
import { registerSecret } from '../../../test/support/secrets.js';
import type { ClerkHarness } from './clerk-helpers.js';
import type { Answer } from './helpers.js';

/** `METHOD <path>` without the `/v1` segment, as `@clerk/backend` calls the M2M routes, with this bearer (or none). */
export async function bare(
  h: ClerkHarness,
  method: string,
  path: string,
  body: unknown,
  key: string | null,
): Promise<Answer> {
  const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? text : (JSON.parse(text) as unknown),
  };
}

/** A machine made through `POST /v1/machines`, its secret key registered with the leak watch. */
export async function machine(
  h: ClerkHarness,
  fields: Record<string, unknown>,
): Promise<{ id: string; secret: string; body: any }> {
  const answer = await h.request('POST', '/machines', fields);
  if (answer.status !== 200) throw new Error(`machine ${answer.status} ${JSON.stringify(answer.body)}`);
  registerSecret(answer.body.secret_key);
  return { id: answer.body.id, secret: answer.body.secret_key, body: answer.body };
}

/** `POST /m2m_tokens` with the machine's secret key, expecting 201; the token is registered with the leak watch. */
export async function mint(h: ClerkHarness, machineSecret: string, fields: Record<string, unknown> = {}): Promise<any> {
  const answer = await bare(h, 'POST', '/m2m_tokens', fields, machineSecret);
  if (answer.status !== 201) throw new Error(`mint ${answer.status} ${JSON.stringify(answer.body)}`);
  registerSecret(answer.body.token);
  return answer.body;
}

export const verifyM2M = (h: ClerkHarness, token: string, key: string | null) =>
  bare(h, 'POST', '/m2m_tokens/verify', { token }, key);
