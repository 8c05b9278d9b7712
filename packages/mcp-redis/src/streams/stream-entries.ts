// Raw Redis Streams replies (RESP2 arrays, as `sendCommand` returns them) read into entries.
// A payload is the JSON in field `p`; an entry some other producer wrote without one is
// delivered as an object of its fields.
import { McpProtocolError, type JsonValue } from '@tframex/mcp-api';

export const PAYLOAD_FIELD = 'p';

export interface RawEntry {
  id: string;
  /** Undefined when the entry was trimmed away while pending. */
  payload: JsonValue | undefined;
  /** Set when the entry could not be read; the entry is skipped (and acknowledged). */
  malformed?: McpProtocolError;
}

type RawFields = unknown[] | null;

function readFields(id: string, fields: RawFields): RawEntry {
  if (!Array.isArray(fields)) return { id, payload: undefined };
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2)
    values.set(String(fields[i]), String(fields[i + 1]));
  const text = values.get(PAYLOAD_FIELD);
  if (text === undefined) return { id, payload: Object.fromEntries(values) };
  try {
    return { id, payload: JSON.parse(text) as JsonValue };
  } catch {
    return {
      id,
      payload: undefined,
      malformed: new McpProtocolError(
        `Stream entry ${id} has a "${PAYLOAD_FIELD}" field that is not JSON; skipped`,
      ),
    };
  }
}

/**
 * Entries of an XREADGROUP reply: `[[key, [[id, fields], ...]]]` (RESP2), `{ key: [[id,
 * fields], ...] }` (a RESP3 map, as node-redis 6 gives it), or null.
 */
export function entriesOfRead(reply: unknown): RawEntry[] {
  if (reply === null || typeof reply !== 'object') return [];
  const streams: unknown[] = Array.isArray(reply)
    ? reply.map((stream) => (Array.isArray(stream) ? stream[1] : []))
    : reply instanceof Map
      ? [...(reply as Map<unknown, unknown>).values()]
      : Object.values(reply);
  const out: RawEntry[] = [];
  for (const messages of streams as unknown[][]) {
    for (const message of Array.isArray(messages) ? messages : []) {
      if (!Array.isArray(message)) continue;
      out.push(readFields(String(message[0]), message[1] as RawFields));
    }
  }
  return out;
}

/** Cursor, claimed entries and deleted ids of an XAUTOCLAIM reply (Redis 7 format). */
export function entriesOfAutoClaim(reply: unknown): {
  cursor: string;
  entries: RawEntry[];
  deleted: string[];
} {
  if (!Array.isArray(reply)) return { cursor: '0-0', entries: [], deleted: [] };
  const [cursor, claimed, deleted] = reply as [unknown, unknown[], unknown[] | undefined];
  const entries: RawEntry[] = [];
  for (const message of claimed ?? []) {
    if (Array.isArray(message))
      entries.push(readFields(String(message[0]), message[1] as RawFields));
  }
  return { cursor: String(cursor), entries, deleted: (deleted ?? []).map(String) };
}
