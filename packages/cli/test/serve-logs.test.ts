import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';
import { cliRunner, serveInProcess } from './run.js';

const { run } = cliRunner(() => ({}));

describe('keyguard serve --log-format', () => {
  it('json: one JSON line per request; /metrics serves Prometheus text', async () => {
    const rootKey = 'kgroot_log_format_0123456789';
    registerSecret(rootKey);
    const serve = await serveInProcess(['serve', '--port', '0', '--log-format', 'json'], {
      KEYGUARD_ROOT_KEY: rootKey,
    });
    const url = /listening on (http:\/\/\S+)/.exec(serve.stdout())![1]!;
    const answer = await fetch(`${url}/v2/apis.createApi`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'logged-api' }),
    });
    expect(answer.status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('keyguard_server_requests_total{operation="apis.createApi",status="200"} 1');
    const requests = serve
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'request');
    expect(requests).toEqual([
      expect.objectContaining({
        operation: 'apis.createApi',
        status: 200,
        requestId: answer.headers.get('unkey-request-id'),
      }),
    ]);
    expect(serve.stdout()).not.toContain(rootKey);
    expect(await serve.stop()).toBe(0);
  });

  it('rejects an unknown format', async () => {
    const result = await run(['serve', '--port', '0', '--log-format', 'xml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--log-format must be one of json, pretty');
  });
});
