import { median } from './in-process.mjs';
import { runLoad } from './processes.mjs';

// Re-exported: the load comparisons and their reports take the median from here.
export { median };

const cpuMicros = (stats) => stats.cpu.user + stats.cpu.system;

/** One measured run against one server: warm-up, then load with the server's CPU counted around it. */
export async function measureOnce(server, load) {
  await runLoad({ ...load, url: server.url + load.path, durationS: 1, amount: undefined });
  const before = await server.stats();
  const result = await runLoad({ ...load, url: server.url + load.path });
  const after = await server.stats();
  const served = after.served - before.served;
  return {
    rps: result.rps,
    p99: result.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuPerRequestUs: served > 0 ? (cpuMicros(after) - cpuMicros(before)) / served : NaN,
    loadCpuPerRequestUs: result.loadCpuPerRequestUs,
  };
}

/**
 * Measures several configurations of one comparison interleaved (A B A B …) for `rounds` rounds, so that
 * drifts of a shared machine hit every configuration alike, and answers each one's medians.
 */
export async function compareInterleaved(configurations, rounds, load) {
  const runs = new Map(configurations.map((configuration) => [configuration.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const configuration of configurations) {
      runs.get(configuration.name).push(await measureOnce(configuration.server, { ...load, ...configuration.load }));
    }
  }
  const summary = {};
  for (const [name, results] of runs) {
    summary[name] = {
      rps: median(results.map((result) => result.rps)),
      p99: median(results.map((result) => result.p99)),
      cpuPerRequestUs: median(results.map((result) => result.cpuPerRequestUs)),
      // The load generator's CPU per request (autocannon, on the other core).
      loadCpuPerRequestUs: median(results.map((result) => result.loadCpuPerRequestUs)),
      non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
      errors: results.reduce((sum, result) => sum + result.errors, 0),
      rounds: results.map((result) => Math.round(result.rps)),
    };
  }
  return summary;
}
