// A cache hit in one process of one telemetry configuration (see run.mjs): verify() and verifyCached() ops/s, with an
// in-memory provider (the key service is not involved once the key is cached).
import { createVerifier } from '@keyguard/core';
import { median, opsPerSecond, opsPerSecondSync } from './lib/in-process.mjs';

const KEY = 'sk_bench_telemetry_key_0001';

const provider = {
  name: 'memory',
  verify: async () => ({
    valid: true,
    code: 'VALID',
    metered: false,
    keyId: 'key_bench',
    key: { id: 'key_bench', provider: 'memory', permissions: [], roles: [], meta: {}, enabled: true },
  }),
};
const verifier = createVerifier({ provider, cache: { freshMs: 600_000 } });
if (!(await verifier.verify(KEY)).valid) throw new Error('the benchmark key did not verify');
const verifyRuns = [];
const cachedRuns = [];
for (let round = 0; round < 7; round++) {
  verifyRuns.push(await opsPerSecond(() => verifier.verify(KEY)));
  cachedRuns.push(opsPerSecondSync(() => verifier.verifyCached(KEY)));
}
await verifier.close();
const recorded = globalThis.keyguardBenchVerificationsRecorded
  ? await globalThis.keyguardBenchVerificationsRecorded()
  : null;
process.send({ verifyOps: median(verifyRuns), verifyCachedOps: median(cachedRuns), recorded });
