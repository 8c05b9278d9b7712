// The demo steps of the packages beyond core, in the order they run. A step module's default
// export is an object with any of these hooks, each given the `demo` object of demo.mjs
// (output helpers under `demo.ui`, `section`, `print`, `onStop`, `trackPid`, `freePort`,
// `within`, `assertRunning`, and `clients`, `registry`, `mock` as they come up):
//   attach(demo)   after the clients are made, before they connect (a monitor attaches here)
//   run(demo)      the step itself, after the multi-server registry step
//   summary(demo)  lines at the end, after the client summary
//   clientAdded(demo, client)  each client the demo opens after attach (a monitor watches it)
// A step registers everything it starts with `demo.onStop(kind, stop)`, so Ctrl-C and
// failures stop it too, and throws to fail the demo.

import agents from './mcp-agents.mjs';
import mcpAuth from './mcp-auth.mjs';
import mcpCoreConfig from './mcp-core-config.mjs';
import monitor from './mcp-monitor.mjs';
import redisCache from './mcp-redis-cache.mjs';
import redisCircuit from './mcp-redis-circuit.mjs';
import redisRateLimit from './mcp-redis.mjs';
import redisTokens from './mcp-redis-tokens.mjs';
import resources from './mcp-resources.mjs';
import streams from './mcp-streams.mjs';

/** @type {{ name: string, attach?: Function, run?: Function, summary?: Function, clientAdded?: Function }[]} */
export const STEPS = [
  monitor,
  mcpCoreConfig,
  mcpAuth,
  resources,
  streams,
  redisRateLimit,
  redisCircuit,
  redisTokens,
  redisCache,
  agents,
];
