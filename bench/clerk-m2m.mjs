// `node bench/clerk-m2m.mjs [--rounds=5] [--requests=2000]` (after `pnpm build`): what verifying one of Clerk's M2M
// tokens costs this process, in CPU µs per request, for keyguard's clerk() and @clerk/backend's own m2m.verify, in
// one run. The local key service (servers/clerk-service.mjs) runs in a Node process of its own, so its work on the
// opaque rows is not counted here; those rows also wait a loopback round trip each. Candidates take turns within
// each round (each round runs every candidate for `requests` sequential verifications); figures are medians over
// rounds of process.cpuUsage() (user + system) and of wall time, per request.
import { fork } from 'node:child_process';
import { createClerkClient } from '@clerk/backend';
import { clerk } from '@keyguard/clerk';
import { createVerifier } from '@keyguard/core';
import { fixed, table } from './lib/format.mjs';
import { median } from './lib/in-process.mjs';

const option = (name, fallback) =>
  process.argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const ROUNDS = Number(option('rounds', '5'));
const REQUESTS = Number(option('requests', '2000'));

async function startService() {
  const child = fork(new URL('./servers/clerk-service.mjs', import.meta.url).pathname, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const message = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (value) => {
        if (value?.type !== type) return;
        child.off('message', onMessage);
        resolve(value);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`the Clerk key service exited with ${code}`)));
    });
  const { port } = await message('ready');
  child.send('stats');
  const { secretKey, workerSecretKey } = await message('stats');
  return { url: `http://127.0.0.1:${port}`, secretKey, workerSecretKey, stop: () => child.kill() };
}

async function mint(service, fields) {
  const response = await fetch(`${service.url}/m2m_tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${service.workerSecretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ seconds_until_expiration: 3_600, ...fields }),
  });
  if (response.status !== 201) throw new Error(`token create answered ${response.status}`);
  return (await response.json()).token;
}

/** CPU and wall µs per call of `verify`, `REQUESTS` times in a row. */
async function measure(verify) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < REQUESTS; index++) await verify();
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / REQUESTS, wall: ((performance.now() - started) * 1000) / REQUESTS };
}

const expectValid = (verification) => {
  if (!verification.valid) throw new Error(`not valid: ${verification.code}`);
};

const service = await startService();
const opaque = await mint(service, {});
const jwt = await mint(service, { token_format: 'jwt' });
const options = { secretKey: service.secretKey, baseUrl: `${service.url}/v1`, accepts: ['m2m_token'] };
const provider = clerk(options);
const uncached = createVerifier({ provider: clerk(options), cache: false });
const cached = createVerifier({ provider: clerk(options) });
const clerkBackend = createClerkClient({ secretKey: service.secretKey, apiUrl: service.url });

const candidates = [
  [
    'keyguard clerk(): M2M JWT verified locally (provider, no cache)',
    async () => expectValid(await provider.verify(jwt)),
  ],
  ['keyguard verifier: M2M JWT, cache hit', async () => expectValid(await cached.verify(jwt))],
  ['keyguard verifier: opaque M2M token, cache hit', async () => expectValid(await cached.verify(opaque))],
  [
    'keyguard verifier, no cache: opaque M2M token (one call each)',
    async () => expectValid(await uncached.verify(opaque)),
  ],
  ['@clerk/backend m2m.verify: M2M JWT (local, its JWKS cache)', () => clerkBackend.m2m.verify({ token: jwt })],
  ['@clerk/backend m2m.verify: opaque M2M token (one call each)', () => clerkBackend.m2m.verify({ token: opaque })],
];

// Warm-up: JIT, connections, both JWKS caches, keyguard's cache entries.
for (const [, verify] of candidates) for (let index = 0; index < 200; index++) await verify();
const results = new Map(candidates.map(([name]) => [name, { cpu: [], wall: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, verify] of candidates) {
    const { cpu, wall } = await measure(verify);
    results.get(name).cpu.push(cpu);
    results.get(name).wall.push(wall);
  }
}
const reference = median(results.get(candidates[5][0]).cpu);
const rows = candidates.map(([name]) => {
  const { cpu, wall } = results.get(name);
  return [name, fixed(median(cpu), 1), fixed(median(wall), 1), fixed(median(cpu) / reference, 2)];
});
console.log(
  `Node ${process.version}, ${ROUNDS} rounds × ${REQUESTS} sequential verifications per candidate; token lengths: JWT ${jwt.length}, opaque ${opaque.length}\n`,
);
console.log(table(['candidate', 'CPU µs / request', 'wall µs / request', 'CPU vs @clerk/backend opaque'], rows));

await Promise.all([provider.close(), uncached.close(), cached.close()]);
service.stop();
