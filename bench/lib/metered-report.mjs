// The metered section of the report: its targets and tables. Kept apart from report.mjs so that the two evolve apart.
import { fixed, signedThousands, table, thousands, verdict } from './format.mjs';
import { METERED_MAX_BATCH, OLD_POOL_CAP_RPS } from './metered.mjs';

/** The metered targets, each with the figure that decides it. */
export function meteredTargets(metered) {
  const rows = [];
  for (const [latency, { configurations: c, coldFlood }] of Object.entries(metered?.latencies ?? {})) {
    const plain = c['plain key'];
    const batched = c['metered batched'];
    const strict = c['metered strict'];
    const peer = c['@unkey/hono (metered)'];
    const ratio = batched.rps / plain.rps;
    rows.push([`metered, ${latency} ms: batched req/s ≥ 0.8 × plain key's`, fixed(ratio), verdict(ratio >= 0.8)]);
    const withoutHeaders = c['metered batched, no RateLimit headers'];
    if (withoutHeaders) {
      const bare = withoutHeaders.rps / plain.rps;
      rows.push([
        `metered, ${latency} ms: the same without RateLimit headers (the plain key sends none)`,
        fixed(bare),
        'for reference',
      ]);
    }
    rows.push([
      `metered, ${latency} ms: batched upstream calls ≤ requests ÷ ${METERED_MAX_BATCH}`,
      `${fixed(batched.upstreamPerRequest * METERED_MAX_BATCH, 3)} per ${METERED_MAX_BATCH} requests`,
      // Per run, allowing the settlements at the run's edges (see measureRun; figures saved before this field: the median).
      verdict(batched.withinBatchBound ?? batched.upstreamPerRequest <= 1 / METERED_MAX_BATCH),
    ]);
    rows.push([
      `metered, ${latency} ms: strict req/s ≥ @unkey/hono's`,
      `${thousands(strict.rps)} vs ${thousands(peer.rps)}`,
      verdict(strict.rps >= peer.rps),
    ]);
    rows.push([
      `metered, ${latency} ms: strict p50 ≤ @unkey/hono's`,
      `${fixed(strict.p50, 1)} vs ${fixed(peer.p50, 1)} ms`,
      verdict(strict.p50 <= peer.p50),
    ]);
    if (coldFlood) {
      const ours = coldFlood.keyguard;
      rows.push([
        `cold flood, ${latency} ms: req/s not capped by the pool (old cap 16 ÷ ${latency} ms = ${thousands(OLD_POOL_CAP_RPS)}/s) and ≥ @unkey/hono's`,
        `${thousands(ours.rps)} vs ${thousands(coldFlood['@unkey/hono'].rps)}`,
        verdict(ours.rps > OLD_POOL_CAP_RPS && ours.rps >= coldFlood['@unkey/hono'].rps),
      ]);
    }
  }
  return rows;
}

/** The metered tables (markdown). */
export function meteredSections(metered) {
  const sections = [];
  for (const [latency, { connections, configurations, coldFlood }] of Object.entries(metered?.latencies ?? {})) {
    const plainRps = configurations['plain key'].rps;
    const plainCpu = configurations['plain key'].cpuPerRequestUs;
    sections.push(
      '',
      `### Metered keys on Hono, key service ${latency} ms away, ${connections} connections`,
      '',
      table(
        [
          'configuration',
          'req/s (median)',
          '÷ plain key',
          'p50 ms',
          'p99 ms',
          'app CPU µs/req',
          'vs plain key µs',
          'load generator CPU µs/req',
          'upstream calls per request',
          'of which one by one, all rounds',
          'rounds req/s',
          'non-2xx + errors',
        ],
        Object.entries(configurations).map(([name, figures]) => [
          name,
          thousands(figures.rps),
          fixed(figures.rps / plainRps),
          fixed(figures.p50, 1),
          fixed(figures.p99, 1),
          // Figures saved before the CPU was measured have none.
          fixed(figures.cpuPerRequestUs, 1),
          name === 'plain key' ? '' : fixed(figures.cpuPerRequestUs - plainCpu, 1),
          // Figures saved before the load generator's CPU was measured have none.
          fixed(figures.loadCpuPerRequestUs, 1),
          fixed(figures.upstreamPerRequest, 3),
          // Calls that were not settlements: requests verified upstream one by one (figures saved before: none).
          name.includes('batched') && figures.perRequestCalls !== undefined ? String(figures.perRequestCalls) : '',
          figures.rounds.join(' / '),
          String(figures.non2xx),
        ]),
      ),
    );
    if (coldFlood) {
      sections.push(
        '',
        `### Cold flood, key service ${latency} ms away, ${connections} connections: every request a different valid key`,
        '',
        table(
          ['configuration', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'upstream calls', 'non-2xx + errors'],
          Object.entries(coldFlood).map(([name, flood]) => [
            name,
            thousands(flood.requests),
            thousands(flood.rps),
            fixed(flood.p50, 1),
            fixed(flood.p99, 1),
            thousands(flood.upstreamCalls),
            String(flood.non2xx),
          ]),
        ),
      );
    }
  }
  return sections;
}

/** The batched target in the app's own work: a plain key's instructions per request over batched metering's. */
export function instructionTargets(instructions) {
  const configurations = instructions?.configurations;
  if (!configurations) return [];
  const ratio =
    configurations['plain key'].instructionsPerRequest / configurations['metered batched'].instructionsPerRequest;
  return [
    [
      `metered, ${instructions.latencyMs} ms, in the app's instructions (callgrind): batched ≥ 0.8 × the plain key's requests per instruction`,
      fixed(ratio),
      verdict(ratio >= 0.8),
    ],
  ];
}

/** The metered configurations in instructions per request (markdown). */
export function instructionSection(instructions) {
  const configurations = instructions?.configurations;
  if (!configurations) return [];
  // Hono's rows without keyguard are set against each other, keyguard's against the plain key.
  const referenceOf = (name) => (name.startsWith('Hono alone') ? 'Hono alone' : 'plain key');
  const runs = configurations['plain key'].rounds.length;
  return [
    '',
    `### The same, counted in instructions, key service ${instructions.latencyMs} ms away`,
    '',
    `Instructions the app executed per request, counted by valgrind's callgrind over ${thousands(instructions.requests)} requests of a warm process ` +
      `(every thread, user space only: the kernel's socket work is not in it), ${runs} run${runs === 1 ? '' : 's'} each, a new process per run, medians. ` +
      "V8's optimizing compilers are left out (**compiler, left out**): they finish warming a process up at a different moment in each run. " +
      "For the same work the count barely moves with the machine's load, where req/s and CPU time do. " +
      "**÷ reference** is the reference's count over this one's: the share of the reference's throughput the same CPU would give.",
    '',
    table(
      [
        'configuration',
        'instructions per request',
        'reference',
        '÷ reference',
        'vs reference',
        'compiler, left out',
        'upstream calls per request',
        'runs',
        'non-2xx + errors',
      ],
      Object.entries(configurations).map(([name, figures]) => {
        const reference = configurations[referenceOf(name)];
        const isReference = referenceOf(name) === name;
        return [
          name,
          thousands(figures.instructionsPerRequest),
          isReference ? '' : referenceOf(name),
          isReference ? '' : fixed(reference.instructionsPerRequest / figures.instructionsPerRequest),
          isReference ? '' : signedThousands(figures.instructionsPerRequest - reference.instructionsPerRequest),
          thousands(figures.compilerPerRequest),
          fixed(figures.upstreamPerRequest, 3),
          figures.rounds.map(thousands).join(' / '),
          String(figures.non2xx),
        ];
      }),
    ),
  ];
}
