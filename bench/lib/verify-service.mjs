// The local key service's `keys.verifyKey` rows, shared by bench/server-verify.mjs and `pnpm bench` (its key-service
// section): each service its own process on SQLite (WAL), as `keyguard serve --db` runs it, keys made through its
// own API, and optionally a client of the dashboard's live feed.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compareInterleaved } from './measure.mjs';
import { SERVER_CPU, startServer } from './processes.mjs';

/** The three kinds of key verified, with the row names the tables show. */
export const ROWS = [
  ['plain', 'verifyKey, plain key'],
  ['credits', 'verifyKey, key with credits'],
  ['ratelimit', 'verifyKey, key with a rate limit'],
];

/** A key service process on a SQLite file in `folder` and the three keys it verifies (created through its API). */
export async function keyService({ rootKey, folder }, name, entry, execArgv = [], launcher = undefined) {
  const env = { ROOT_KEY: rootKey, DATABASE: join(folder, `${name}.sqlite`) };
  if (entry) env.SERVER_ENTRY = entry;
  const server = await startServer('servers/verify-service.mjs', env, execArgv, SERVER_CPU, launcher);
  const call = async (operation, body) => {
    const response = await fetch(`${server.url}/v2/${operation}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${operation}: ${response.status} ${await response.text()}`);
    return (await response.json()).data;
  };
  const { apiId } = await call('apis.createApi', { name: 'verify-bench' });
  const create = async (extra) => (await call('keys.createKey', { apiId, prefix: 'sk', ...extra })).key;
  const keys = {
    plain: await create({ name: 'plain' }),
    credits: await create({ name: 'credits', credits: { remaining: 1_000_000_000 } }),
    ratelimit: await create({
      name: 'ratelimit',
      ratelimits: [{ name: 'requests', limit: 1_000_000_000, duration: 60_000, autoApply: true }],
    }),
  };
  return { server, keys };
}

/** The load of one row: `keys.verifyKey` of `key`. */
export const verifyLoad = (rootKey, key) => ({
  path: '/v2/keys.verifyKey',
  method: 'POST',
  body: JSON.stringify({ key }),
  headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
});

/** A client of the dashboard's live feed (`/dashboard/events`) that reads and drops every event; none without one. */
export function subscribeFeed(server, rootKey) {
  return new Promise((resolveFeed) => {
    const feed = request(
      `${server.url}/dashboard/events`,
      { headers: { authorization: `Bearer ${rootKey}`, accept: 'text/event-stream' } },
      (response) => {
        response.resume();
        resolveFeed(response.statusCode === 200 ? feed : undefined);
      },
    );
    feed.on('error', () => resolveFeed(undefined));
    feed.end();
  });
}

/**
 * One service as two servers for compareInterleaved: `withFeed` opens a live-feed client just before it is measured
 * (compareInterleaved reads stats after the warm-up, before the load), `withoutFeed` closes it. Both rows are then
 * the same process, its store and JIT state alike: measured on two processes instead, two services without a feed
 * differed by up to 9 % in CPU per request, more than the feed's cost.
 */
function toggledFeed(server, rootKey) {
  let feed;
  const close = async () => {
    if (!feed) return;
    feed.destroy();
    feed = undefined;
    // The service unsubscribes on the connection's close: a moment for it to see it.
    await new Promise((resolveClosed) => setTimeout(resolveClosed, 100));
  };
  const open = async () => {
    feed ??= await subscribeFeed(server, rootKey);
    if (!feed) throw new Error(`${server.url}/dashboard/events did not open`);
  };
  return {
    withoutFeed: { ...server, stats: async () => (await close(), server.stats()) },
    withFeed: { ...server, stats: async () => (await open(), server.stats()) },
    close,
  };
}

/**
 * node:http hello, then each row without and with a client of the dashboard's live feed (every verification
 * published to it) on one service, interleaved; `before`: the rows again on another built checkout's server, without
 * the feed. Answers compareInterleaved's summary by row name.
 */
export async function verifyComparison({ rootKey, rounds, durationS, connections, before }) {
  const folder = mkdtempSync(join(tmpdir(), 'keyguard-verify-bench-'));
  const context = { rootKey, folder };
  const started = [];
  try {
    const hello = await startServer('servers/hello.mjs');
    const current = await keyService(context, 'this');
    const toggled = toggledFeed(current.server, rootKey);
    started.push(hello, current.server, toggled);
    const previous = before && (await keyService(context, 'before', resolve(before, 'packages/server/dist/index.js')));
    if (previous) started.push(previous.server);
    const configurations = [{ name: 'node:http hello', server: hello, load: { path: '/', method: 'GET' } }];
    for (const [kind, label] of ROWS) {
      const load = verifyLoad(rootKey, current.keys[kind]);
      configurations.push({ name: label, server: toggled.withoutFeed, load });
      if (previous)
        configurations.push({
          name: `${label} (before)`,
          server: previous.server,
          load: verifyLoad(rootKey, previous.keys[kind]),
        });
      configurations.push({ name: `${label}, live feed open`, server: toggled.withFeed, load });
    }
    return await compareInterleaved(configurations, rounds, { connections, durationS });
  } finally {
    for (const server of started.reverse()) await (server.close ?? server.stop)();
    rmSync(folder, { recursive: true, force: true });
  }
}
