import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `pnpm demo` as a user runs it (the `demo` script: node with tsx on scripts/demo.ts), its `--check` mode running
// every command it prints, and the one-line answers to a busy port or an incomplete Unkey setting.
const root = fileURLToPath(new URL('../..', import.meta.url));

function demo(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('pnpm demo', () => {
  it('prints keys, curl commands that show bodies, the root key and next steps, and every printed command works (--check)', async () => {
    const { code, stdout, stderr } = await demo(['--check'], { UNKEY_ROOT_KEY: undefined });
    expect(stdout).not.toContain('FAIL');
    expect(code, stdout + stderr).toBe(0);
    expect(stdout.match(/^ok /gm)).toHaveLength(8);
    expect(stdout).toMatch(/key service {2}http:\/\/127\.0\.0\.1:\d+ {3}local, in memory/);
    expect(stdout).toMatch(/root key {5}kgroot_\S+/);
    expect(stdout).toMatch(/^ {2}curl -i http:\/\/127\.0\.0\.1:\d+\/documents$/m);
    expect(stdout).not.toContain('-o /dev/null');
    expect(stdout).toMatch(
      /^Next:\n.*\n {4}export KEYGUARD_BASE_URL=http:\/\/127\.0\.0\.1:\d+ KEYGUARD_ROOT_KEY=kgroot_\S+\n {4}pnpm keyguard apis list-keys api_\S+$/m,
    );
    expect(stdout).not.toContain('.data');
    expect(stderr).toBe('');
  }, 90_000);

  it('says which variable moves a busy port, in one line without a stack', async () => {
    const occupant = createServer();
    await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
    const port = (occupant.address() as { port: number }).port;
    try {
      const keyService = await demo([], { KEYGUARD_PORT: String(port), PORT: '0', UNKEY_ROOT_KEY: undefined });
      expect(keyService.code).toBe(1);
      expect(keyService.stderr).toBe(
        `keyguard demo: port ${port} (the key service) is in use: pick another with KEYGUARD_PORT, e.g. KEYGUARD_PORT=${port + 1} pnpm demo\n`,
      );
      const api = await demo([], { KEYGUARD_PORT: '0', PORT: String(port), UNKEY_ROOT_KEY: undefined });
      expect(api.code).toBe(1);
      expect(api.stderr).toBe(
        `keyguard demo: port ${port} (the example API) is in use: pick another with PORT, e.g. PORT=${port + 1} pnpm demo\n`,
      );
    } finally {
      occupant.close();
    }
  }, 60_000);

  it('asks for UNKEY_API_ID when UNKEY_ROOT_KEY is set without it, in one line without a stack', async () => {
    const { code, stderr } = await demo([], { UNKEY_ROOT_KEY: 'unkey_root_0123456789abcdef', UNKEY_API_ID: undefined });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^keyguard demo: UNKEY_ROOT_KEY is set, so the demo uses Unkey itself: also set UNKEY_API_ID .*\n$/,
    );
    expect(stderr).not.toContain('unkey_root_0123456789abcdef');
  }, 60_000);
});
