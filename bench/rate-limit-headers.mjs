// `node bench/rate-limit-headers.mjs [--rounds=10]`: what the four `draft-6` RateLimit header lines of a metered key's
// answer cost on their own, with no keyguard in the way: Hono on @hono/node-server with and without them, interleaved,
// the server's CPU per request and the load generator's (autocannon, on the other core). On a 2-core machine both
// sides are near their core's limit, so req/s moves with what a response costs the client to parse too.
import { fixed, signed } from './lib/format.mjs';
import { compareInterleaved } from './lib/measure.mjs';
import { startServer, stopAll } from './lib/processes.mjs';

const rounds = Number(
  process.argv.find((argument) => argument.startsWith('--rounds='))?.slice('--rounds='.length) ?? '10',
);

try {
  const configurations = [
    { name: 'no RateLimit headers', server: await startServer('servers/hono-headers.mjs', { HEADERS: 'none' }) },
    {
      name: 'four draft-6 RateLimit headers',
      server: await startServer('servers/hono-headers.mjs', { HEADERS: 'draft-6' }),
    },
  ];
  const summary = await compareInterleaved(configurations, rounds, { path: '/hello', connections: 50, durationS: 2 });
  const [without, withHeaders] = configurations.map(({ name }) => summary[name]);
  for (const { name } of configurations) {
    const figures = summary[name];
    console.log(
      `${name.padEnd(32)} ${Math.round(figures.rps).toLocaleString('en-US').padStart(7)} req/s   server ${fixed(figures.cpuPerRequestUs, 1)} µs/req   load generator ${fixed(figures.loadCpuPerRequestUs, 1)} µs/req`,
    );
  }
  console.log(
    `the headers: req/s × ${(withHeaders.rps / without.rps).toFixed(2)}, server ${signed(withHeaders.cpuPerRequestUs - without.cpuPerRequestUs)} µs/req, load generator ${signed(withHeaders.loadCpuPerRequestUs - without.loadCpuPerRequestUs)} µs/req (medians of ${rounds} rounds)`,
  );
  await Promise.all(configurations.map(({ server }) => server.stop()));
} finally {
  stopAll();
}
