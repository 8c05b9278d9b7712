// @tframex/mcp-redis: shared state across processes on Redis: stream fan-out on Redis Streams
// with consumer groups (RedisStreamBus, a StreamBus of @tframex/mcp-api), token buckets
// (RedisRateLimitStore), OAuth tokens (RedisTokenStore), circuit state
// (RedisCircuitStateStore) and the response cache (RedisCacheStore), each shared by every process.
export { RedisStreamBus } from './streams/redis-stream-bus.js';
export type { RedisStreamBusOptions } from './streams/redis-stream-bus.js';
export { describeRedisUrl, RedisConnection } from './connection/redis-connection.js';
export type { RedisClient, RedisConnectionOptions } from './connection/redis-connection.js';
export { RedisRateLimitStore } from './rate-limit/redis-rate-limit-store.js';
export type { RedisRateLimitStoreOptions } from './rate-limit/redis-rate-limit-store.js';
export { RedisTokenStore } from './tokens/redis-token-store.js';
export type { RedisTokenStoreOptions } from './tokens/redis-token-store-options.js';
export { RedisCircuitStateStore } from './circuit/redis-circuit-state-store.js';
export type { RedisCircuitStateStoreOptions } from './circuit/redis-circuit-state-store.js';
export { RedisCacheStore } from './cache/redis-cache-store.js';
export type { RedisCacheStoreOptions } from './cache/redis-cache-store.js';
