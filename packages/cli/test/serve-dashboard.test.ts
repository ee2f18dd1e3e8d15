import { beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';
import { buildDashboardAssets } from '../../server/test/dashboard/support.js';
import { cliRunner, serveInProcess } from './run.js';

const { run } = cliRunner(() => ({}));
const rootKey = 'kgroot_dashboard_flags_0123456789';
registerSecret(rootKey);

describe('keyguard serve and the dashboard', () => {
  beforeAll(() => buildDashboardAssets());

  it('prints where the dashboard is, and --dashboard-path moves it', async () => {
    const serve = await serveInProcess(['serve', '--port', '0', '--quiet', '--dashboard-path', '/keys-ui'], {
      KEYGUARD_ROOT_KEY: rootKey,
    });
    const url = /listening on (http:\/\/\S+)/.exec(serve.stdout())![1]!;
    expect(serve.stdout()).toContain(`dashboard: ${url}/keys-ui/ (sign in with a root key)`);
    expect((await fetch(`${url}/keys-ui/`)).status).toBe(200);
    expect((await fetch(`${url}/dashboard/`)).status).toBe(404);
    expect(await serve.stop()).toBe(0);
  });

  it('--no-dashboard serves none', async () => {
    const serve = await serveInProcess(['serve', '--port', '0', '--quiet', '--no-dashboard'], {
      KEYGUARD_ROOT_KEY: rootKey,
    });
    const url = /listening on (http:\/\/\S+)/.exec(serve.stdout())![1]!;
    expect(serve.stdout()).not.toContain('dashboard');
    expect((await fetch(`${url}/dashboard/`)).status).toBe(404);
    expect(await serve.stop()).toBe(0);
  });

  it('refuses a path under the service routes', async () => {
    const result = await run(['serve', '--port', '0', '--dashboard-path', '/v2/ui']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('dashboard');
  });
});
