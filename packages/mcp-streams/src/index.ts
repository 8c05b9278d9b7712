// @tframex/mcp-streams: MCP notifications as async iterables, with filters, bounded buffers,
// publish and windowed processing.
export { MCPStream } from './mcp-stream.js';
export type {
  MCPStreamOptions,
  McpProcessWindowedOptions,
  McpRelayOptions,
  McpSubscribeOptions,
} from './stream-options.js';
export type { McpStreamEvent, McpStreamEventSource, McpStreamGapReason } from './stream-event.js';
export type { McpResourceReadMode, McpStreamSource } from './source/stream-source.js';
export { McpStreamSubscription } from './subscription/mcp-stream-subscription.js';
export type {
  McpOverflowPolicy,
  McpStreamEndReason,
} from './subscription/mcp-stream-subscription.js';
export type {
  McpEventPredicate,
  McpFilterValue,
  McpStreamFilters,
} from './subscription/event-filter.js';
export type { McpWindowSpec, McpWindowCloseReason } from './window/windower.js';
export type {
  McpWindowedSummary,
  McpWindowInfo,
  McpWindowProcessor,
} from './window/run-windows.js';
export type { McpPublishArguments, McpPublishOptions } from './publish/stream-publisher.js';
export { McpStreamOverflowError } from './errors/mcp-stream-overflow-error.js';
export type { McpStreamOverflowErrorOptions } from './errors/mcp-stream-overflow-error.js';
export { InProcessStreamBus } from './bus/in-process-stream-bus.js';
export type { InProcessStreamBusOptions } from './bus/in-process-stream-bus.js';
export type { McpStreamRelay } from './bus/stream-relay.js';
