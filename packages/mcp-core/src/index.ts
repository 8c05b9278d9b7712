// @tframex/mcp-core: MCPClient and everything that makes MCP connections production-grade.

// --- client, transports, middleware, registry (client area) ---
export { MCPClient } from './client/mcp-client.js';
export type { CallToolOptions, ListToolsOptions } from './client/mcp-client.js';
export { CLIENT_VERSION } from './client/mcp-client-options.js';
export type { MCPClientOptions, McpRoot } from './client/mcp-client-options.js';
export type { ClientSettings, ClientTransportSettings } from './client/client-settings.js';
export type { ServerRequestHandlers } from './adapter/sdk-adapter.js';
export type { ServerAnswer } from './middleware/middleware-pipeline.js';
export { loggingMiddleware } from './middleware/logging-middleware.js';
export type { LoggingMiddlewareOptions, McpLogEntry } from './middleware/logging-middleware.js';
export { cachingMiddleware, MemoryCacheStore } from './middleware/caching-middleware.js';
export type {
  CacheCipher,
  CacheStore,
  CachingMiddleware,
  CachingMiddlewareOptions,
} from './middleware/caching-middleware.js';
export { redact, redactText, REDACTED } from './middleware/redact.js';
export { createMcpFetch } from './http/mcp-fetch.js';
export type { FetchLike, McpFetch, McpFetchOptions } from './http/mcp-fetch.js';
export { MCPToolAdapter } from './registry/mcp-tool-adapter.js';
export type { MCPToolAdapterOptions } from './registry/mcp-tool-adapter.js';
export { MCPServers } from './registry/mcp-servers.js';
export type {
  CollectedTools,
  MCPServersOptions,
  ServerState,
  ServerStatus,
} from './registry/mcp-servers.js';
export { BalancedSession } from './registry/balanced-session.js';
export type { BalancedSessionOptions } from './registry/balanced-session.js';
export { MCPServiceDiscovery } from './registry/mcp-service-discovery.js';
export type { HealthCheckOptions, ServerHealth } from './registry/mcp-service-discovery.js';
export type { RegistryApiOptions } from './registry/discovery-sources.js';
export { serversFromServerJson } from './registry/server-json.js';
export type {
  DiscoveredServer,
  ServerConnectionOptions,
  ServerJsonOptions,
} from './registry/server-json.js';

// --- building blocks: config, resilience, security, tools (primitives area) ---
// What users compose or configure; test clocks, sleeps, error-code tables and the checks
// the client runs inside stay internal (tests import them by path).
export type { Clock } from './resilience/clock.js';
export { isTransientError } from './resilience/is-transient-error.js';
export type {
  RetryDecisionOptions,
  RetryExecuteOptions,
  RetryInfo,
  RetryPolicyOptions,
} from './resilience/retry-policy.js';
export { RetryPolicy } from './resilience/retry-policy.js';
export type { CircuitBreakerOptions, CircuitExecuteOptions } from './resilience/circuit-breaker.js';
export { CircuitBreaker, isCircuitFailure } from './resilience/circuit-breaker.js';
export type { RateLimiterAcquireOptions, RateLimiterOptions } from './resilience/rate-limiter.js';
export { RateLimiter } from './resilience/rate-limiter.js';
export { RateLimitHandler } from './resilience/rate-limit-handler.js';
export { MemoryRateLimitStore } from './resilience/memory-rate-limit-store.js';
export { MemoryCircuitStateStore } from './resilience/memory-circuit-state-store.js';
export { MCPCircuitBreaker } from './resilience/mcp-circuit-breaker.js';
export type {
  LoadBalancerExecuteOptions,
  LoadBalancerTarget,
  LoadBalancerTargetStatus,
  LoadBalancingStrategy,
  MCPLoadBalancerOptions,
} from './resilience/load-balancer.js';
export { isFailoverError, MCPLoadBalancer } from './resilience/load-balancer.js';
export type { ResolvedToolName, ToolNamerOptions } from '@tframex/mcp-api';
export { FLAT_TOOL_NAME_PATTERN, flattenToolName, ToolNamer } from '@tframex/mcp-api';
export type { DereferenceOptions } from './tools/dereference-schema.js';
export { dereferenceSchema } from './tools/dereference-schema.js';
export type { ToolMetaSource } from './tools/tool-tags.js';
export { readToolCategories, readToolTags, readToolVersion } from './tools/tool-tags.js';
export type {
  FilterableTool,
  NamePattern,
  ToolFilter,
  ToolFilterContext,
  ToolPredicate,
} from './tools/tool-filter.js';
export { compileToolFilter, matchesToolFilter } from './tools/tool-filter.js';
export { isIdempotentTool } from './tools/is-idempotent-tool.js';
export type { MCPSecurityOptions } from './security/mcp-security.js';
export { MCPSecurity } from './security/mcp-security.js';
export type {
  SignatureVerdict,
  SigningKey,
  VerifySignatureOptions,
} from './security/body-signature.js';
export { MCP_SIGNATURE_HEADER, signBody, verifyBodySignature } from './security/body-signature.js';
export type { EncryptionKey } from './security/at-rest-cipher.js';
export { AtRestCipher } from './security/at-rest-cipher.js';
export type {
  MCPAuthMethod,
  MCPCircuitBreakerOptions,
  MCPConfig,
  MCPConfigOptions,
  MCPProtocolMode,
  MCPRateLimitOptions,
  MCPTransportType,
  McpTransportLike,
} from './config/mcp-config.js';
export type { ParseMCPConfigSettings } from './config/parse-mcp-config.js';
export { checkMCPConfig, MCPConfigSchema, parseMCPConfig } from './config/parse-mcp-config.js';
export { defaultServerName, toServerAlias } from './config/default-server-name.js';
export type {
  CreateAuthPluginSettings,
  MCPConfigOAuth2Options,
} from './config/create-auth-plugin-from-config.js';
export { createAuthPluginFromConfig } from './config/create-auth-plugin-from-config.js';
export { tlsMaterialFromConfig } from './config/tls-material-from-config.js';
export { redactMCPConfig } from './config/redact-mcp-config.js';
export type {
  EnvExpansionFailure,
  EnvExpansionResult,
  ExpandEnvOptions,
} from './config/expand-env.js';
export { expandEnv } from './config/expand-env.js';
export type { LoadMcpServersConfigOptions } from './config/load-mcp-servers-config.js';
export { loadMcpServersConfig, parseMcpServersConfig } from './config/load-mcp-servers-config.js';
