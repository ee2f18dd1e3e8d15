import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { describe, expect, it } from 'vitest';
import type { Logger } from '@keyguard/core';
import { keyguard } from '@keyguard/hono';
import { useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { recordOutput } from '../../../test/support/secrets.js';

const { verifier } = await useFakeUnkeyService({});

describe('Hono logging', () => {
  it("writes denied requests to the logger option, with the id of Hono's requestId middleware", async () => {
    const lines: unknown[] = [];
    const logger: Logger = {
      debug: (message, fields) => {
        recordOutput(message, fields);
        lines.push({ message, fields });
      },
      warn: () => {},
      error: () => {},
    };
    const app = new Hono()
      .use(requestId())
      .use('/private', keyguard({ verifier, logger }))
      .get('/private', (c) => c.json({ ok: true }));
    const response = await app.request('/private');
    expect(response.status).toBe(401);
    expect(lines).toEqual([
      {
        message: 'keyguard: request denied',
        fields: { requestId: response.headers.get('x-request-id'), status: 401, reason: 'missing' },
      },
    ]);
  });
});
