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
 * node:http hello, then each row on one service, then each row on a second service with the live feed open (every
 * verification published to it), interleaved; `before`: the rows again on another built checkout's server.
 * Answers compareInterleaved's summary by row name.
 */
export async function verifyComparison({ rootKey, rounds, durationS, connections, before }) {
  const folder = mkdtempSync(join(tmpdir(), 'keyguard-verify-bench-'));
  const context = { rootKey, folder };
  const started = [];
  try {
    const hello = await startServer('servers/hello.mjs');
    started.push(hello);
    const configurations = [{ name: 'node:http hello', server: hello, load: { path: '/', method: 'GET' } }];
    const services = [['', await keyService(context, 'this')]];
    if (before)
      services.push([
        ' (before)',
        await keyService(context, 'before', resolve(before, 'packages/server/dist/index.js')),
      ]);
    for (const [kind, label] of ROWS)
      for (const [suffix, { server, keys }] of services)
        configurations.push({ name: `${label}${suffix}`, server, load: verifyLoad(rootKey, keys[kind]) });
    const watched = await keyService(context, 'feed');
    started.push(...services.map(([, { server }]) => server), watched.server);
    const feed = await subscribeFeed(watched.server, rootKey);
    if (feed) started.push({ stop: async () => feed.destroy() });
    if (feed)
      for (const [kind, label] of ROWS)
        configurations.push({
          name: `${label}, live feed open`,
          server: watched.server,
          load: verifyLoad(rootKey, watched.keys[kind]),
        });
    return await compareInterleaved(configurations, rounds, { connections, durationS });
  } finally {
    await Promise.all(started.map((server) => server.stop()));
    rmSync(folder, { recursive: true, force: true });
  }
}
