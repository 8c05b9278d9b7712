// Types for importing the services by path (`tools/test-services/index.mjs`), as the
// module-boundary rule lets packages' tests do.
export type {
  PrometheusSample,
  PrometheusScrapeTarget,
  RunningPostgres,
  RunningPrometheus,
  RunningService,
  StartPostgresOptions,
  StartPrometheusOptions,
  StartRedisOptions,
} from './index.js';
export {
  CHROMIUM_ARGS,
  chromiumPath,
  freePort,
  promtool,
  requireBinary,
  startPostgres,
  startPrometheus,
  startRedis,
} from './index.js';
