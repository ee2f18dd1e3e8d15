import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

/** A Lua script run by its SHA-1, sent once more in full when the server does not know it yet (after a restart). */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(client: RedisClient, anchor: string, args: (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, 1, anchor, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.lua, 1, anchor, ...args);
    }
  }
}

// Redis time in ms: one clock for every instance, so "asked before the last invalidation" means the same everywhere.
const NOW = `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;

// Whether an invalidation (everything, this name, or this key id) was noted at or after `asked` (Redis time).
const SINCE = `local function since(asked, keyId)
  local function noted(key)
    local at = redis.call('GET', root .. key)
    return at and tonumber(at) >= asked
  end
  return noted('t:all') or noted('t:d:' .. name) or (keyId ~= nil and keyId ~= '' and noted('t:k:' .. keyId))
end`;

/**
 * ARGV: root, name, lock token ('' for none), lock ms. Answers {entry or false, 1 when this caller took the lock,
 * Redis time}. An empty cache entry and a free lock give the caller the lock: it asks the provider, the others wait.
 * An entry asked for before an invalidation noted since (`t:…`) is not answered: it can only be one copied back.
 * Its signed ask time and key id lead its JSON (`<mac>.{"r":<ms>,"k":"<key id>",…`, see keys/entry.ts).
 */
export const READ = new LuaScript(`${NOW}
local root, name = ARGV[1], ARGV[2]
${SINCE}
local gen = redis.call('GET', root .. 'gen') or '0'
local value = redis.call('GET', root .. 'v:' .. gen .. ':' .. name)
if value then
  local asked = tonumber(string.match(value, '^[%w_-]+%.{"r":(%d+)'))
  if not (asked and since(asked, string.match(value, '^[%w_-]+%.{"r":%d+,"k":"([^"\\\\]*)"'))) then return {value, 0, now} end
end
if ARGV[3] ~= '' and redis.call('SET', root .. 'l:' .. name, ARGV[3], 'NX', 'PX', ARGV[4]) then return {false, 1, now} end
return {false, 0, now}`);

/**
 * ARGV: root, name, key id ('' for none), ttl ms (0: only release the lock), value, Redis time the answer was asked
 * at, lock token, channel. Stores nothing when an invalidation of everything, of this name or of this key id came
 * after the answer was asked for: that answer may be the one just revoked. Whenever it stores or releases the lock it
 * publishes "w <name>" on the bus, waking the instances waiting for this name (the name is already keyed: no key, no
 * digest on the bus). Answers 1 when it stored.
 */
export const WRITE =
  new LuaScript(`local root, name, keyId, ttl, asked = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[6])
${SINCE}
local lock = root .. 'l:' .. name
local released = redis.call('GET', lock) == ARGV[7]
if released then redis.call('DEL', lock) end
local stored = 0
if ttl > 0 and not since(asked, keyId) then
  local gen = redis.call('GET', root .. 'gen') or '0'
  redis.call('SET', root .. 'v:' .. gen .. ':' .. name, ARGV[5], 'PX', ttl)
  if keyId ~= '' then redis.call('SET', root .. 'k:' .. keyId, name, 'PX', ttl) end
  stored = 1
end
if released or stored == 1 then redis.call('PUBLISH', ARGV[8], 'w ' .. name) end
return stored`);

// The bus's identity: made up by whoever finds it missing. A Redis that lost its data (restarted without
// persistence, failed over) has a new one, so "the same number" cannot hide invalidations published before it.
const BUS = `local bus = redis.call('GET', root .. 'bus')
if not bus then
  bus = ARGV[#ARGV]
  redis.call('SET', root .. 'bus', bus)
end`;

/**
 * ARGV: root, a new bus id. Answers {bus id, number of the last invalidation, Redis time, Redis time of the last
 * invalidation ('0' when none is noted)}. The last one tells two invalidations with the same number apart: a failover
 * that lost some and took the number back, followed by as many new ones, gives the same number again, not the same time.
 */
export const SYNC = new LuaScript(`${NOW}
local root = ARGV[1]
${BUS}
return {bus, tonumber(redis.call('GET', root .. 'seq') or '0'), now, redis.call('GET', root .. 'seq:at') or '0'}`);

/**
 * ARGV: root, channel, kind ('d' name, 'k' key id, 'a' everything), target, message, tombstone ms, a new bus id.
 * Drops the shared answers, notes the time (see WRITE), numbers the invalidation and publishes
 * "<number> <bus id> <Redis time> <message>", in one step: instances remember the time (shared-cache/revocations.ts).
 */
export const INVALIDATE = new LuaScript(`${NOW}
local root, channel, kind, target, tombstone = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[6]
${BUS}
local gen = redis.call('GET', root .. 'gen') or '0'
if kind == 'a' then
  redis.call('INCR', root .. 'gen')
  redis.call('SET', root .. 't:all', now, 'PX', tombstone)
elseif kind == 'k' then
  local name = redis.call('GET', root .. 'k:' .. target)
  if name then redis.call('DEL', root .. 'v:' .. gen .. ':' .. name) end
  redis.call('SET', root .. 't:k:' .. target, now, 'PX', tombstone)
else
  redis.call('DEL', root .. 'v:' .. gen .. ':' .. target)
  redis.call('SET', root .. 't:d:' .. target, now, 'PX', tombstone)
end
local seq = redis.call('INCR', root .. 'seq')
redis.call('SET', root .. 'seq:at', now)
redis.call('PUBLISH', channel, seq .. ' ' .. bus .. ' ' .. now .. ' ' .. ARGV[5])
return seq`);

/**
 * ARGV: root, budget ('<budget id>:<window end>'), member id, its unconfirmed count, ms the count lives unless written
 * again. One hash per budget and window, a field per member holding "<count>:<Redis time it fades>". Writes the
 * member's count (0 removes its field), removes faded fields (an instance that died) and fields no member writes
 * (metering/counts.ts), and answers {how many of those, member, count, ...} with the others' counts.
 */
export const SHARE_UNCONFIRMED = new LuaScript(`${NOW}
local key = ARGV[1] .. 'm:' .. ARGV[2]
local member, count, ttl = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
if count > 0 then
  redis.call('HSET', key, member, count .. ':' .. (now + ttl))
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
else
  redis.call('HDEL', key, member)
end
local fields = redis.call('HGETALL', key)
local others = {0}
for i = 1, #fields, 2 do
  if fields[i] ~= member then
    local units, fades = string.match(fields[i + 1], '^(%d+):(%d+)$')
    -- Digits only, and few: tonumber() of a long run of digits is inf (a count never released, a field never faded).
    local sane = units and #units <= 10 and #fades <= 15 and tonumber(units) <= 2147483647
    if sane and tonumber(fades) > now then
      others[#others + 1] = fields[i]
      others[#others + 1] = units
    else
      if not sane then others[1] = others[1] + 1 end
      redis.call('HDEL', key, fields[i])
    end
  end
end
return others`);
