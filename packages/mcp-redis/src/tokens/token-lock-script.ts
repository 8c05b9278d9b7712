// The Lua script that releases a RedisTokenStore lock: delete the lock key only if it still
// holds this holder's random token (a lease that expired and was taken by another is left).
import { createHash } from 'node:crypto';

// KEYS[1]: the lock key; ARGV[1]: the holder's token -> 1 released, 0 not held any more.
export const RELEASE_LOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** SHA-1 of the script, for EVALSHA. */
export const RELEASE_LOCK_SCRIPT_SHA = createHash('sha1').update(RELEASE_LOCK_SCRIPT).digest('hex');
