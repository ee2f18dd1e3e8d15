// Micro benchmarks in one process, measured interleaved: verify() on a cache hit next to its floor (one SHA-256
// of the key plus one Map.get), and the CPU cost of one provider call: keyguard's Unkey provider (undici Pool)
// next to @unkey/api's keys.verifyKey, both against the same local key service.
import * as nodeCrypto from 'node:crypto';
import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { Unkey } from '@unkey/api';
import { median, opsPerSecond } from './lib/in-process.mjs';

const { PROVIDER_URL, ROOT_KEY, KEY } = process.env;

async function cacheHit() {
  const verifier = createVerifier({
    provider: unkey({ rootKey: ROOT_KEY, baseUrl: PROVIDER_URL }),
    cache: { freshMs: 600_000 },
  });
  const first = await verifier.verify(KEY);
  if (!first.valid) throw new Error(`the benchmark key did not verify: ${first.code}`);
  // The floor uses the fastest SHA-256 Node offers for a short string (crypto.hash, one shot), as keyguard does.
  const sha256 = (value) => nodeCrypto.hash('sha256', value, 'base64url');
  const map = new Map([[sha256(KEY), first]]);
  const floor = async () => map.get(sha256(KEY));
  const hit = () => verifier.verify(KEY);
  const floorRuns = [];
  const hitRuns = [];
  for (let round = 0; round < 7; round++) {
    floorRuns.push(await opsPerSecond(floor));
    hitRuns.push(await opsPerSecond(hit));
  }
  await verifier.close();
  return { floorOps: median(floorRuns), hitOps: median(hitRuns) };
}

async function cpuPerCall(call, count = 1500, concurrency = 10) {
  const before = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        await call();
      }
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

async function providerCost() {
  const provider = unkey({ rootKey: ROOT_KEY, baseUrl: PROVIDER_URL });
  const sdk = new Unkey({ rootKey: ROOT_KEY, serverURL: PROVIDER_URL });
  const ours = async () => {
    const answer = await provider.verify(KEY);
    if (!answer.valid) throw new Error(answer.code);
  };
  const theirs = async () => {
    const answer = await sdk.keys.verifyKey({ key: KEY });
    if (!answer.data.valid) throw new Error(answer.data.code);
  };
  await cpuPerCall(ours, 300);
  await cpuPerCall(theirs, 300);
  const oursRuns = [];
  const theirsRuns = [];
  for (let round = 0; round < 5; round++) {
    oursRuns.push(await cpuPerCall(ours));
    theirsRuns.push(await cpuPerCall(theirs));
  }
  await provider.close();
  return { keyguardCpuUs: median(oursRuns), unkeySdkCpuUs: median(theirsRuns) };
}

process.send({ ...(await cacheHit()), ...(await providerCost()) });
