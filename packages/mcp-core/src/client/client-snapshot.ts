// Where an MCPClient stands now, for a monitor that attaches late: each pooled connection,
// requests in flight and waiting, the circuit, the last success and the last failure.
import type { McpSessionState } from '@tframex/mcp-api';
import type { McpCircuitState, McpTelemetrySnapshot } from '@tframex/mcp-telemetry-api';
import type { ClientTelemetry } from './client-telemetry.js';
import { STATE_MAP, type ConnectionPool } from './connection-pool.js';

export interface ClientSnapshotParts {
  server: string;
  state: McpSessionState;
  pool: ConnectionPool;
  telemetry: ClientTelemetry;
  /** Requests waiting: for a place in flight and for the rate limiter. */
  queued: number;
  circuit: McpCircuitState | undefined;
}

export function clientSnapshot(parts: ClientSnapshotParts): McpTelemetrySnapshot {
  const { pool, telemetry } = parts;
  const connections = pool.slots.map((slot) => {
    const connectedAt = slot.connectedAt;
    return {
      ...pool.endpoint(slot.index, slot.current ?? slot.lastConnection),
      state: STATE_MAP[slot.state],
      inFlight: slot.inFlight,
      ...(connectedAt !== undefined ? { connectedAt } : {}),
    };
  });
  const primary = pool.slots[0]!;
  const { lastSuccessAt, lastError } = telemetry;
  return {
    takenAt: Date.now(),
    servers: [
      {
        ...pool.endpoint(0, primary.current ?? primary.lastConnection),
        server: parts.server,
        state: parts.state === 'idle' ? 'disconnected' : parts.state,
        connections,
        inFlight: connections.reduce((sum, connection) => sum + connection.inFlight, 0),
        queued: parts.queued,
        ...(parts.circuit !== undefined ? { circuit: parts.circuit } : {}),
        ...(lastSuccessAt !== undefined ? { lastSuccessAt } : {}),
        ...(lastError !== undefined ? { lastError: { ...lastError } } : {}),
      },
    ],
  };
}
