// What an `mcp://server/name` stream URI selects, and the sources a stream can listen to.
import { McpConfigError, parseMcpUri, type LoggingLevel } from '@tframex/mcp-api';

/** How a resource source turns an update into events. */
export type McpResourceReadMode =
  /** Re-read the resource on each update: one `resource-updated` event with its contents. */
  | 'snapshot'
  /**
   * The resource is an append-only log (a JSON array, or JSON lines): each update emits only
   * the entries appended since the last read, one event per entry.
   */
  | 'append';

/** One place events come from. */
export type McpStreamSource =
  | { kind: 'resource'; uri: string; read?: McpResourceReadMode }
  | { kind: 'log' }
  | { kind: 'progress' }
  | { kind: 'list-changed'; lists?: readonly ('tools' | 'resources' | 'prompts')[] }
  | { kind: 'notification'; method: string };

/** A resource named by the stream URI, found in the server's resource list when it starts. */
export interface McpPendingResource {
  kind: 'resource-name';
  name: string;
  read?: McpResourceReadMode;
}

export type McpResolvableSource = McpStreamSource | McpPendingResource;

export const LOGGING_LEVELS: readonly LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

/**
 * Reads a stream URI. The name after the server selects:
 * - `logs`: log messages (`notifications/message`);
 * - `progress`: progress notifications;
 * - `list-changes`: tool, resource and prompt list changes;
 * - `notifications/<anything>`: that notification method, as the server sends it;
 * - anything else: a resource the server lists with that name or URI, read on every update.
 */
export function sourcesFromUri(
  uri: string,
  read: McpResourceReadMode | undefined,
): { server: string; name: string; sources: McpResolvableSource[] } {
  const parsed = parseMcpUri(uri);
  if (parsed.wildcard) {
    throw new McpConfigError(`A stream URI names one stream, not every one: ${uri}`, {
      field: 'uri',
      expected: 'mcp://<server>/<stream>',
      received: uri,
    });
  }
  const { server, name } = parsed;
  const sources: McpResolvableSource[] =
    name === 'logs'
      ? [{ kind: 'log' }]
      : name === 'progress'
        ? [{ kind: 'progress' }]
        : name === 'list-changes'
          ? [{ kind: 'list-changed' }]
          : name.startsWith('notifications/') && name.length > 'notifications/'.length
            ? [{ kind: 'notification', method: name }]
            : [{ kind: 'resource-name', name, ...(read ? { read } : {}) }];
  return { server, name, sources };
}

/** The fixed `type` of a source's events, or undefined when payloads choose it. */
export function fixedTypeOf(source: McpResolvableSource): string | undefined {
  switch (source.kind) {
    case 'log':
      return 'log';
    case 'progress':
      return 'progress';
    case 'list-changed':
      return 'list-changed';
    case 'resource':
    case 'resource-name':
      return (source.read ?? 'snapshot') === 'snapshot' ? 'resource-updated' : undefined;
    case 'notification':
      return undefined;
  }
}

/**
 * What filters can compare against on this stream: the only values `type`, `source` and
 * `level` can take, when the sources fix them. Used to refuse filters that can never match.
 */
export function knownValuesOf(
  sources: readonly McpResolvableSource[],
  logLevel: LoggingLevel | undefined,
  viaBus: boolean,
): Map<string, Set<unknown>> {
  const known = new Map<string, Set<unknown>>();
  if (viaBus) return known; // events from a bus may have come from any producer
  const kinds = new Set<unknown>(['gap']);
  for (const source of sources)
    kinds.add(source.kind === 'resource-name' ? 'resource' : source.kind);
  known.set('source', kinds);
  const types = sources.map(fixedTypeOf);
  if (types.every((type) => type !== undefined)) known.set('type', new Set([...types, 'gap']));
  if (sources.every((source) => source.kind === 'log')) {
    const from = LOGGING_LEVELS.indexOf(logLevel ?? 'debug');
    known.set('level', new Set(LOGGING_LEVELS.slice(from)));
  }
  return known;
}
