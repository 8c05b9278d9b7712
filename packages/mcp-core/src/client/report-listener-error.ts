// Where the errors of user callbacks go: a `listener:error` event, or a process warning when
// nobody listens for that (or a `listener:error` listener threw itself), so none is lost.
import type {
  McpClientEvents,
  McpEventHub,
  McpListenerErrorEvent,
} from '@tframex/mcp-telemetry-api';

export function reportListenerError(
  events: McpEventHub<McpClientEvents>,
  report: McpListenerErrorEvent,
): void {
  if (report.event !== 'listener:error' && events.hasListeners('listener:error')) {
    events.emit('listener:error', report);
    return;
  }
  const reason = report.error instanceof Error ? report.error.message : String(report.error);
  process.emitWarning(`A ${report.source} of MCPClient "${report.server}" threw: ${reason}`, {
    type: 'MCPClientListenerError',
    detail: `while handling ${report.event}`,
  });
}
