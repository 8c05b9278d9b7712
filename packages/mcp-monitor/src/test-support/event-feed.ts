// A hand-driven McpEventSource for tests: an McpEventHub (the second implementation of the
// seam beside MCPTestClient) with helpers that emit well-formed events, for what MCPTestClient
// never emits (retries, circuit changes, rate limits, pooled connections, cache hits).
import {
  McpEventHub,
  type McpRequestEndEvent,
  type McpTelemetrySnapshot,
} from '@tframex/mcp-telemetry-api';

export class EventFeed extends McpEventHub {
  #next = 1;
  snapshotValue: McpTelemetrySnapshot | undefined;

  snapshot(): McpTelemetrySnapshot {
    return this.snapshotValue ?? { takenAt: Date.now(), servers: [] };
  }

  /** Emits request:end for a call that just ended after `durationMs`. */
  call(fields: Partial<McpRequestEndEvent> & { server?: string; durationMs: number }): void {
    const id = this.#next++;
    const durationMs = fields.durationMs;
    this.emit('request:end', {
      requestId: id,
      callId: id,
      server: 'db',
      method: 'tools/call',
      attempt: 1,
      startTime: performance.now() - durationMs,
      outcome: 'ok',
      ...fields,
      durationMs,
    });
  }

  tool(tool: string, durationMs: number, fields: Partial<McpRequestEndEvent> = {}): void {
    this.call({ tool, target: tool, durationMs, ...fields });
  }
}
