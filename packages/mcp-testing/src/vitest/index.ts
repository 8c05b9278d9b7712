// @tframex/mcp-testing/vitest: per-test and per-file mock servers, and matchers over what
// they recorded (with TypeScript augmentation of vitest's Assertion).
export { installMcpMatchers, mcpMatchers } from './mcp-matchers.js';
export type { McpMatchers, RecordingSource } from './mcp-matchers.js';
export { mockServerFixture, useMockMCPServer } from './mock-server-fixture.js';
export type { MockServerFixtureOptions, MockServerHandle } from './mock-server-fixture.js';
