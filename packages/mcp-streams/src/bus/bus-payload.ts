// Stream events on a StreamBus: written as plain JSON, read back as the same event (or, for
// entries some other producer wrote, as a `bus` event of the payload).
import type { JsonValue, StreamBusEntry } from '@tframex/mcp-api';
import { payloadEvent, type McpStreamEvent, type McpStreamEventSource } from '../stream-event.js';

const SOURCES = new Set<McpStreamEventSource>([
  'resource',
  'log',
  'progress',
  'list-changed',
  'notification',
  'bus',
  'gap',
]);
const MARK = 'mcpStreamEvent';

/** The event as a bus payload (`data` must be JSON; undefined fields are left out). */
export function toBusPayload(event: McpStreamEvent): JsonValue {
  return { [MARK]: 1, ...event } as unknown as JsonValue;
}

/** A bus entry as an event: one MCPStream wrote it, or any payload as a `bus` event. */
export function fromBusEntry(entry: StreamBusEntry, nextSeq: () => number): McpStreamEvent {
  const payload = entry.payload as Record<string, unknown> | null;
  if (
    typeof payload === 'object' &&
    payload !== null &&
    payload[MARK] === 1 &&
    typeof payload['type'] === 'string' &&
    SOURCES.has(payload['source'] as McpStreamEventSource)
  ) {
    const { [MARK]: _mark, ...event } = payload;
    return event as unknown as McpStreamEvent;
  }
  return {
    ...payloadEvent(entry.payload, 'entry', 'bus'),
    seq: nextSeq(),
    receivedAt: Date.now(),
  };
}
