// The metered section of the report: its targets and tables. Kept apart from report.mjs so that the two evolve apart.
import { METERED_MAX_BATCH, OLD_POOL_CAP_RPS } from './metered.mjs';

const fixed = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const thousands = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
const verdict = (ok) => (ok ? 'met' : '**missed**');

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

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
      rows.push([`metered, ${latency} ms: the same without RateLimit headers (the plain key sends none)`, fixed(bare), 'for reference']);
    }
    rows.push([
      `metered, ${latency} ms: batched upstream calls ≤ requests ÷ ${METERED_MAX_BATCH}`,
      `${fixed(batched.upstreamPerRequest * METERED_MAX_BATCH, 3)} per ${METERED_MAX_BATCH} requests`,
      // Per run, allowing the settlements at the run's edges (see measureRun; figures saved before this field: the median).
      verdict(batched.withinBatchBound ?? batched.upstreamPerRequest <= 1 / METERED_MAX_BATCH),
    ]);
    rows.push([`metered, ${latency} ms: strict req/s ≥ @unkey/hono's`, `${thousands(strict.rps)} vs ${thousands(peer.rps)}`, verdict(strict.rps >= peer.rps)]);
    rows.push([`metered, ${latency} ms: strict p50 ≤ @unkey/hono's`, `${fixed(strict.p50, 1)} vs ${fixed(peer.p50, 1)} ms`, verdict(strict.p50 <= peer.p50)]);
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
        ['configuration', 'req/s (median)', '÷ plain key', 'p50 ms', 'p99 ms', 'app CPU µs/req', 'vs plain key µs', 'load generator CPU µs/req', 'upstream calls per request', 'of which one by one, all rounds', 'rounds req/s', 'non-2xx + errors'],
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
          Object.entries(coldFlood).map(([name, flood]) => [name, thousands(flood.requests), thousands(flood.rps), fixed(flood.p50, 1), fixed(flood.p99, 1), thousands(flood.upstreamCalls), String(flood.non2xx)]),
        ),
      );
    }
  }
  return sections;
}
