// Builds ClientSettings for tests that exercise the client directly.
import type { ClientSettings } from '../client/client-settings.js';

export function testSettings(
  overrides: Partial<ClientSettings> & Pick<ClientSettings, 'transport'>,
): ClientSettings {
  return {
    name: 'test',
    clientInfo: { name: 'tframex-mcp-core-tests', version: '0.0.0' },
    protocol: 'auto',
    headers: {},
    auth: undefined,
    tls: undefined,
    enableCompression: true,
    timeoutMs: 30_000,
    connectTimeoutMs: 30_000,
    retryAttempts: 3,
    retryDelayMs: 50,
    retryMaxDelayMs: 500,
    retryJitter: true,
    retryNonIdempotent: false,
    connectionPoolSize: 1,
    maxConnections: undefined,
    maxQueuedRequests: 1000,
    keepaliveIntervalMs: 0,
    maxResponseBytes: undefined,
    rateLimit: undefined,
    circuitBreaker: undefined,
    handlers: {},
    toolsChangedDebounceMs: 50,
    ...overrides,
  };
}
