// RateLimitHandler: the TFrameX name of the rate limiter, as users pass it to clients. One
// instance given to several clients is one budget for all of them.
import { RateLimiter } from './rate-limiter.js';

/**
 * A token bucket several clients can share: `new MCPClient({ serverUrl, rateLimit: handler })`
 * for each, and together they stay within `maxRequestsPerMinute` (bursts up to `burstSize`).
 */
export class RateLimitHandler extends RateLimiter {}
