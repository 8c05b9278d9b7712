// MCPClient options for tests: quick retries, so failure paths finish fast.
import type { MCPClientOptions } from '../client/mcp-client-options.js';

export function testOptions(overrides: MCPClientOptions): MCPClientOptions {
  return {
    name: 'test',
    timeoutMs: 30_000,
    connectTimeoutMs: 30_000,
    retryDelayMs: 50,
    retryMaxDelayMs: 500,
    toolsChangedDebounceMs: 50,
    ...overrides,
  };
}
