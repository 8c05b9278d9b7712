// What a stream delivers: one shape for every source, so filters and windows work the same
// over log messages, resource updates, custom notifications and events from a StreamBus.
import type { LoggingLevel } from '@tframex/mcp-api';

/** Where an event came from. `gap` marks a point where events may be missing. */
export type McpStreamEventSource =
  | 'resource'
  | 'log'
  | 'progress'
  | 'list-changed'
  | 'notification'
  | 'bus'
  | 'gap';

/** Why a gap marker was delivered. */
export type McpStreamGapReason =
  /** The connection was lost and restored: notifications sent meanwhile may be missing. */
  | 'reconnected'
  /** The upstream subscription ended and was set up again. */
  | 'resubscribed'
  /** An append-only resource became shorter than what was read (rotated or truncated). */
  | 'rotated'
  /** A relay dropped events because its bus fell too far behind. */
  | 'overflow';

export interface McpStreamEvent<T = unknown> {
  /**
   * The event's type: the payload's own string `type` field when it has one
   * (`data_update`), else the source's (`log`, `resource-updated`, `progress`,
   * `list-changed`, the notification method), or `gap`.
   */
  readonly type: string;
  /** The payload: the payload's `data` field when it has `type` and `data`, else the payload. */
  readonly data: T;
  readonly source: McpStreamEventSource;
  /** Position in the stream (per MCPStream, from 1); a jump means events were dropped. */
  readonly seq: number;
  /** When it was received (ms since the epoch). */
  readonly receivedAt: number;
  /** The notification method it arrived as. */
  readonly method?: string;
  /** The resource it is about. */
  readonly uri?: string;
  /** Log messages: severity and logger name. */
  readonly level?: LoggingLevel;
  readonly logger?: string;
  /** Gap markers: why. */
  readonly reason?: McpStreamGapReason;
}

/** The fields an event is made of before the stream numbers it. */
export type McpStreamEventInit = Omit<McpStreamEvent, 'seq' | 'receivedAt'>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a payload the TFrameX way: `{ type: 'data_update', data: {...} }` is an event of type
 * `data_update` with that data; `{ type: 'user_action', user_id: 1 }` keeps the other fields
 * as data; anything else is data of `fallbackType`. (Written without object rest and spread:
 * this runs once per event, and fixed shapes keep it fast.)
 */
export function payloadEvent(
  payload: unknown,
  fallbackType: string,
  source: McpStreamEventSource,
  method?: string,
  uri?: string,
): McpStreamEventInit {
  let type = fallbackType;
  let data = payload;
  if (isRecord(payload)) {
    const own = payload['type'];
    if (typeof own === 'string' && own !== '') {
      type = own;
      let keys = 0;
      for (const _key in payload) if (++keys > 2) break;
      if (keys === 2 && 'data' in payload) data = payload['data'];
      else {
        const rest: Record<string, unknown> = {};
        for (const key in payload) if (key !== 'type') rest[key] = payload[key];
        data = rest;
      }
    }
  }
  return {
    type,
    data,
    source,
    method,
    uri,
    level: undefined,
    logger: undefined,
    reason: undefined,
  };
}
