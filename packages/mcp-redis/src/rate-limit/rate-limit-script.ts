// The Lua script of RedisRateLimitStore: a token bucket kept in one hash per key, taken from
// or paused atomically in one round trip (EVALSHA), with a TTL set on every write.
import { createHash } from 'node:crypto';

// KEYS[1]: the bucket (hash: t = tokens, r = refilled at ms, p = paused until ms,
//          w = ms a full refill takes, kept for the TTL of a pause).
// ARGV[1]: 'take' or 'pause'; ARGV[2]: now in ms, or '' for the Redis server's clock.
// take:  ARGV[3] capacity, ARGV[4] refill per ms, ARGV[5] tokens wanted
//        -> { granted 0|1, remaining, retryAfterMs } (numbers as text: Lua floats)
// pause: ARGV[3] for ms -> 1
export const RATE_LIMIT_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[2])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local h = redis.call('HMGET', key, 't', 'r', 'p', 'w')
local paused = tonumber(h[3]) or 0
if ARGV[1] == 'pause' then
  local until_ms = math.max(paused, now + tonumber(ARGV[3]))
  local refill_ms = tonumber(h[4]) or 3600000
  redis.call('HSET', key, 't', '0', 'r', tostring(now), 'p', tostring(until_ms), 'w', tostring(refill_ms))
  redis.call('PEXPIRE', key, math.ceil(until_ms - now + refill_ms + 1000))
  return 1
end
local capacity = tonumber(ARGV[3])
local rate = tonumber(ARGV[4])
local wanted = tonumber(ARGV[5])
local refill_ms = math.ceil(capacity / rate)
if now < paused then
  return { 0, '0', tostring(paused - now) }
end
local tokens = tonumber(h[1])
local refilled = tonumber(h[2])
if tokens == nil or refilled == nil then
  tokens = capacity
  refilled = now
end
local since = math.max(now - math.max(refilled, paused), 0)
tokens = math.min(capacity, tokens + since * rate)
local granted = 0
local retry = 0
if tokens >= wanted then
  tokens = tokens - wanted
  granted = 1
else
  retry = math.ceil((wanted - tokens) / rate)
end
redis.call('HSET', key, 't', tostring(tokens), 'r', tostring(now), 'p', tostring(paused), 'w', tostring(refill_ms))
redis.call('PEXPIRE', key, refill_ms + 1000)
return { granted, tostring(tokens), tostring(retry) }
`;

/** SHA-1 of the script, for EVALSHA. */
export const RATE_LIMIT_SCRIPT_SHA = createHash('sha1').update(RATE_LIMIT_SCRIPT).digest('hex');
