import Koa from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Logger } from '@keyguard/core';
import { keyguard } from '@keyguard/koa';
import { useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { recordOutput } from '../../../test/support/secrets.js';

const { verifier } = await useFakeUnkeyService({});

function recorder(): Logger & { lines: unknown[] } {
  const lines: unknown[] = [];
  return {
    lines,
    debug: (message, fields) => {
      recordOutput(message, fields);
      lines.push({ message, fields });
    },
    warn: () => {},
    error: () => {},
  };
}

describe('Koa logging', () => {
  it('prefers ctx.log (as koa-pino-logger sets it) over the logger option', async () => {
    const adapterLogger = recorder();
    const requestLogger = recorder();
    const app = new Koa()
      .use((ctx, next) => {
        Object.assign(ctx, { log: requestLogger });
        return next();
      })
      .use(keyguard({ verifier, logger: adapterLogger }));
    await request(app.callback()).get('/').set('x-request-id', 'koa-1').expect(401);
    expect(adapterLogger.lines).toEqual([]);
    expect(requestLogger.lines).toEqual([
      { message: 'keyguard: request denied', fields: { requestId: 'koa-1', status: 401, reason: 'missing' } },
    ]);
  });
});
