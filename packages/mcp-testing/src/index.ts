// @tframex/mcp-testing: test code that talks MCP against a real MCP server (MockMCPServer,
// over HTTP, stdio or memory), with recording, fault injection, auth simulation and a test client.
export { MockMCPServer } from './server/mock-mcp-server.js';
export type {
  HttpStartOptions,
  MemoryStartOptions,
  MockMCPServerOptions,
  MockServerStartOptions,
  StdioStartOptions,
} from './server/mock-mcp-server.js';
export type { MockServerEra } from './server/http-endpoint.js';
export type { MockTransportKind } from './server/transport-kind.js';
export type { MockRequestContext } from './server/request-context.js';
export type { ClientAskMethod } from './server/client-asks.js';
export { TOOL_TAGS_META_KEY } from './server/definitions.js';
export type {
  MockPromptArgument,
  MockPromptContent,
  MockPromptHandler,
  MockPromptOptions,
  MockResourceOptions,
  MockResourceReader,
  MockResourceTemplateOptions,
  MockResourceTemplateReader,
  MockSchema,
  MockToolHandler,
  MockToolOptions,
} from './server/definitions.js';
export type { RecordedHttpRequest } from './server/http-log.js';
export type {
  RecordedNotification,
  RecordedOutcome,
  RecordedRequest,
} from './recording/recorded-request.js';
export type { RequestMatcher, WaitOptions } from './recording/request-log.js';
export { fault } from './faults/fault.js';
export type {
  ConcurrencyFault,
  DropFault,
  FaultSpec,
  FaultType,
  HttpStatusFault,
  JsonRpcErrorFault,
  KillSessionFault,
  LatencyFault,
  MalformedFault,
  OversizedFault,
  StallFault,
  ToolErrorFault,
} from './faults/fault.js';
export type {
  FaultHandle,
  FaultInjector,
  FaultRule,
  FaultTarget,
} from './faults/fault-injector.js';
export type { MockServerAuth, MockTokenInfo, MockTokenIssuer } from './auth/server-auth.js';
export { MCPTestClient } from './client/mcp-test-client.js';
export type {
  MCPTestClientOptions,
  MCPTestClientTarget,
  StdioCommand,
} from './client/mcp-test-client.js';
export { TestResource } from './client/test-resource.js';
export { MCPTestToolSource } from './tools/mcp-test-tool-source.js';
export type { CollectedTestTools, MCPTestToolSourceOptions } from './tools/mcp-test-tool-source.js';
export { inlineLocalRefs } from './tools/inline-local-refs.js';
export type { InlineLocalRefsOptions } from './tools/inline-local-refs.js';
export { createTestCertificates } from './tls/test-certificates.js';
export type { TestCertificates } from './tls/test-certificates.js';
export { mockServerCommand } from './stdio/mock-server-command.js';
export type { MockServerCommand, MockServerCommandOptions } from './stdio/mock-server-command.js';
export { MockAuthorizationServer } from './auth/mock-authorization-server.js';
export type {
  MockAuthFailure,
  MockAuthMetadataStyle,
  MockAuthorizationServerOptions,
  MockAuthStartOptions,
  MockDpopOptions,
  MockIssuedToken,
  MockOAuthClient,
  OAuthGrantType,
  RecordedAuthRequest,
} from './auth/mock-authorization-server.js';
export type { ClientAuthMethod } from './auth/client-credentials.js';
export type { MockTrustedIssuer } from './auth/assertion-grants.js';
export { protectedResourceMetadataUrl } from './auth/server-auth.js';
export { findSecretLeaks } from './secrets/find-secret-leaks.js';
export type { FindSecretLeaksOptions, SecretLeak } from './secrets/find-secret-leaks.js';
