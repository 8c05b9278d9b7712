// Real services for tests: see index.d.ts for the API.
export { freePort, requireBinary } from './process.mjs';
export { startPostgres } from './postgres.mjs';
export { startRedis } from './redis.mjs';
export { promtool, startPrometheus } from './prometheus.mjs';
export { CHROMIUM_ARGS, chromiumPath } from './chromium.mjs';
