// The Lua script that releases a RedisTokenStore lock: delete the lock key only if it still
// holds this holder's random token (a lease that expired and was taken by another is left),
// and announce the release so that waiters try again at once.
import { createHash } from 'node:crypto';

// KEYS[1]: the lock key; ARGV[1]: the holder's token; ARGV[2]: the channel releases go to.
// -> 1 released, 0 not held any more.
export const RELEASE_LOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], KEYS[1])
  return 1
end
return 0
`;

/** SHA-1 of the script, for EVALSHA. */
export const RELEASE_LOCK_SCRIPT_SHA = createHash('sha1').update(RELEASE_LOCK_SCRIPT).digest('hex');
