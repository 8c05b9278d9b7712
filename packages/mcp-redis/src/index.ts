// @tframex/mcp-redis: shared state across processes on Redis. Today: stream fan-out on Redis
// Streams with consumer groups (RedisStreamBus, a StreamBus of @tframex/mcp-api), token
// buckets shared by every process (RedisRateLimitStore, an McpRateLimitStore) and a response
// cache shared by every process (RedisCacheStore, an McpCacheStore).
export { RedisStreamBus } from './streams/redis-stream-bus.js';
export type { RedisStreamBusOptions } from './streams/redis-stream-bus.js';
export { describeRedisUrl, RedisConnection } from './connection/redis-connection.js';
export type { RedisClient, RedisConnectionOptions } from './connection/redis-connection.js';
export { RedisRateLimitStore } from './rate-limit/redis-rate-limit-store.js';
export type { RedisRateLimitStoreOptions } from './rate-limit/redis-rate-limit-store.js';
export { RedisCacheStore } from './cache/redis-cache-store.js';
export type { RedisCacheStoreOptions } from './cache/redis-cache-store.js';
