// The Lua script of RedisCircuitStateStore: circuit state kept in one hash per key, read or
// changed atomically in one round trip (EVALSHA), on one clock, with a TTL on every write.
import { createHash } from 'node:crypto';

// KEYS[1]: the circuit (hash: s = state, f = failures, o = opened at ms,
//          h = probe holder, u = probe lease until ms). No key at all = closed, no failures.
// ARGV[1]: 'read' | 'failure' | 'success' | 'probe'; ARGV[2]: now in ms, or '' for the Redis
// server's clock; ARGV[3]: TTL in ms of the hash after a write.
// read, failure (ARGV[4] threshold), success -> { state, failures, openedAtMs or '' }
// probe: ARGV[4] holder, ARGV[5] recovery ms, ARGV[6] lease ms -> 1 (taken) | 0
// release: ARGV[4] holder -> 1 (the lease is gone if that holder had it)
export const CIRCUIT_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[2])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local ttl = tonumber(ARGV[3])
local h = redis.call('HMGET', key, 's', 'f', 'o', 'h', 'u')
local state = h[1] or 'closed'
local failures = tonumber(h[2]) or 0
local opened = h[3] or ''
local op = ARGV[1]
if op == 'read' then
  return { state, tostring(failures), opened }
end
if op == 'success' then
  redis.call('DEL', key)
  return { 'closed', '0', '' }
end
if op == 'failure' then
  failures = failures + 1
  if state == 'half-open' or (state == 'closed' and failures >= tonumber(ARGV[4])) then
    state = 'open'
    opened = tostring(now)
    redis.call('HDEL', key, 'h', 'u')
  end
  redis.call('HSET', key, 's', state, 'f', tostring(failures), 'o', opened)
  redis.call('PEXPIRE', key, ttl)
  return { state, tostring(failures), opened }
end
if op == 'probe' then
  local holder = ARGV[4]
  local recovery = tonumber(ARGV[5])
  local lease = tonumber(ARGV[6])
  if state == 'closed' then
    return 0
  end
  if state == 'open' then
    if now - (tonumber(opened) or now) < recovery then
      return 0
    end
    state = 'half-open'
  end
  local held_until = tonumber(h[5]) or 0
  if h[4] and held_until > now and h[4] ~= holder then
    return 0
  end
  redis.call('HSET', key, 's', state, 'h', holder, 'u', tostring(now + lease))
  redis.call('PEXPIRE', key, math.max(ttl, lease))
  return 1
end
if op == 'release' then
  if h[4] == ARGV[4] then
    redis.call('HDEL', key, 'h', 'u')
  end
  return 1
end
return redis.error_reply('unknown circuit operation')
`;

/** SHA-1 of the script, for EVALSHA. */
export const CIRCUIT_SCRIPT_SHA = createHash('sha1').update(CIRCUIT_SCRIPT).digest('hex');
