import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';

// The built command as a user runs it (the root `pnpm test` builds first; `pnpm --filter @keyguard/cli build` alone works too).
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const run = promisify(execFile);

describe.skipIf(!existsSync(bin))('keyguard (built bin, spawned)', () => {
  it('serve prints its URL and root key, answers the CLI over a real port, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, '--json', 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const info = await new Promise<{ url: string; rootKey: string }>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split('\n')[0];
        if (stdout.includes('\n') && line) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    });
    registerSecret(info.rootKey);
    const env = { ...process.env, KEYGUARD_BASE_URL: info.url, KEYGUARD_ROOT_KEY: info.rootKey };
    const created = await run(process.execPath, [bin, '--json', 'apis', 'create', 'smoke-api'], { env });
    const { apiId } = JSON.parse(created.stdout);
    const key = JSON.parse(
      (await run(process.execPath, [bin, '--json', 'keys', 'create', apiId, '--prefix', 'smoke'], { env })).stdout,
    );
    registerSecret(key.key);
    const verified = await run(process.execPath, [bin, 'keys', 'verify', key.key], { env });
    expect(verified.stdout).toMatch(/code:\s+VALID/);
    const failed = await run(process.execPath, [bin, 'apis', 'get', 'api_missing'], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/^keyguard: apis\.getApi failed: HTTP 404/);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('ends quietly when the reader closed the pipe (`keyguard … | head`), without a stack trace', async () => {
    // `true` exits before node has started, so the CLI writes into a pipe nobody reads.
    const { stderr } = await run('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" --help | true`]);
    expect(stderr).toBe('');
  });
});
