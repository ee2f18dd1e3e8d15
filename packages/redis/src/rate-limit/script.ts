import { LuaScript } from '../keys/scripts.js';

/**
 * One rule's count for one identifier, in one step. KEYS[1]: the counter's key without its window; ARGV: limit,
 * window ms, cost. Answers {1 when spent (or, for cost 0, when anything is left), tokens left, Redis time the window
 * ends}. The counter of a window is `<KEYS[1]>:<window start>`, expiring when the window ends.
 *
 * Fixed windows aligned to the epoch (`floor(now / duration) * duration`, Redis's clock): how Unkey's
 * `ratelimit.limit` and core's memory backend place windows, so moving between backends changes where counts live,
 * not which requests pass. A fixed window is also what batched admission needs: `cost = n` is exactly n admissions
 * and a read (`cost = 0`) is exactly the count. A sliding window's weighted share of the previous window (Unkey's
 * refinement) drifts between a settlement and the next read, and GCRA keeps a time instead of a count, so admissions
 * settled late would not be counted in the window they were admitted in. A cost that does not fit spends nothing and
 * leaves 0, as in Unkey; a read writes nothing.
 */
export const LIMIT = new LuaScript(`local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local limit, duration, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local start = now - now % duration
local key = KEYS[1] .. ':' .. start
local used = tonumber(redis.call('GET', key) or '0') or 0
local success
if cost == 0 then
  success = used < limit
else
  success = used + cost <= limit
  if success then
    used = redis.call('INCRBY', key, cost)
    if used == cost then redis.call('PEXPIREAT', key, start + duration) end
  end
end
local remaining = 0
if success or cost == 0 then remaining = math.max(0, limit - used) end
return {success and 1 or 0, remaining, start + duration}`);
