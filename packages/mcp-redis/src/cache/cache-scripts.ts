// The Lua scripts of RedisCacheStore: a set that files the entry in its group, and the drop of
// a group or of every key under the store's prefix, each atomic (one EVALSHA) on the Redis
// server's clock.
import { createHash } from 'node:crypto';

/** A script and its SHA-1 (for EVALSHA). */
export interface CacheScript {
  readonly source: string;
  readonly sha: string;
}

const script = (source: string): CacheScript => ({
  source,
  sha: createHash('sha1').update(source).digest('hex'),
});

// KEYS[1]: the entry (hash: v = value, e = expires at, epoch ms); KEYS[2] and KEYS[3], when
// given: its group (sorted set of entry keys scored by their expiry) and the group's drop guard.
// ARGV[1]: value; ARGV[2]: expires at.
// The entry expires at its own time (PEXPIREAT); the group lives as long as its last entry, and
// members that Redis has already expired are pruned on each set, so a group never grows past
// the entries that are alive. Not written: an entry already stale, or one for a group dropped
// within its guard (an answer fetched before the drop must not bring the old list back).
// -> 1 written, 0 not
export const SET_ENTRY = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(ARGV[2]) <= now then
  redis.call('UNLINK', KEYS[1])
  return 0
end
if KEYS[3] and redis.call('EXISTS', KEYS[3]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'e', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
if KEYS[2] then
  redis.call('ZADD', KEYS[2], ARGV[2], KEYS[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', KEYS[2], last[2])
end
return 1
`);

// KEYS[1]: a group; KEYS[2]: its drop guard. ARGV[1]: how long the guard holds (ms, 0: none).
// Drops the group's entries and the group itself. -> how many entries it named
export const DELETE_GROUP = script(`
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
for i = 1, #members, 500 do
  redis.call('UNLINK', unpack(members, i, math.min(i + 499, #members)))
end
redis.call('UNLINK', KEYS[1])
if tonumber(ARGV[1]) > 0 then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
end
return #members
`);

// ARGV[1]: a SCAN MATCH pattern (the store's prefix, glob-escaped, then *). Drops every key it
// matches, in one script: nothing another process writes meanwhile is half-cleared. -> count
export const CLEAR_PREFIX = script(`
local cursor = '0'
local dropped = 0
repeat
  local reply = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 500)
  cursor = reply[1]
  local keys = reply[2]
  for i = 1, #keys, 500 do
    redis.call('UNLINK', unpack(keys, i, math.min(i + 499, #keys)))
  end
  dropped = dropped + #keys
until cursor == '0'
return dropped
`);

/** `prefix` as a SCAN MATCH pattern that matches it literally, followed by anything. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\*?[\]^-]/g, (char) => `\\${char}`)}*`;
}
