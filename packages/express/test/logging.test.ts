import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Logger } from '@keyguard/core';
import { keyguard } from '@keyguard/express';
import { useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { recordOutput, registerSecret } from '../../../test/support/secrets.js';
import { EXPRESS_MAJORS } from './support/majors.js';

const READER = 'sk_express_log_reader_1';
const UNKNOWN = 'sk_express_log_unknown_2';
registerSecret(UNKNOWN);
const { verifier } = await useFakeUnkeyService({ [READER]: { keyId: 'key_express_reader', permissions: [] } });

function recorder(): Logger & { lines: unknown[][] } {
  const lines: unknown[][] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    recordOutput(message, fields);
    lines.push([level, message, fields]);
  };
  return { lines, debug: record('debug'), warn: record('warn'), error: record('error') };
}

describe.each(EXPRESS_MAJORS)('logging on $name', ({ express }) => {
  it('writes denied requests to the logger option, with the X-Request-Id', async () => {
    const logger = recorder();
    const app = express()
      .use(keyguard({ verifier, logger }))
      .get('/private', (_request, response) => void response.json({ ok: true }));
    await request(app)
      .get('/private')
      .set('authorization', `Bearer ${UNKNOWN}`)
      .set('x-request-id', 'edge-42')
      .expect(401);
    await request(app).get('/private').set('authorization', `Bearer ${READER}`).expect(200);
    expect(logger.lines).toEqual([
      [
        'debug',
        'keyguard: request denied',
        expect.objectContaining({ requestId: 'edge-42', code: 'NOT_FOUND', status: 401 }),
      ],
    ]);
  });

  it("prefers the request's own logger and id, as pino-http sets them on req.log and req.id", async () => {
    const adapterLogger = recorder();
    const requestLogger = recorder();
    const app = express()
      .use((incoming: Request, _response: Response, next: NextFunction) => {
        Object.assign(incoming, { log: requestLogger, id: 7 });
        next();
      })
      .use(keyguard({ verifier, logger: adapterLogger }))
      .get('/private', (_request, response) => void response.json({ ok: true }));
    await request(app).get('/private').expect(401);
    expect(adapterLogger.lines).toEqual([]);
    expect(requestLogger.lines).toEqual([
      ['debug', 'keyguard: request denied', { requestId: '7', status: 401, reason: 'missing' }],
    ]);
  });
});
