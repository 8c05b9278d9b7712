// The options of MCPStream and its methods, validated once at the edge (zod); problems become
// an McpConfigError naming the field.
import {
  McpConfigError,
  type LoggingLevel,
  type McpSession,
  type StreamBus,
} from '@tframex/mcp-api';
import * as z from 'zod';
import type { McpPublishOptions } from './publish/stream-publisher.js';
import type { McpStreamSource, McpResourceReadMode } from './source/stream-source.js';
import { LOGGING_LEVELS } from './source/stream-source.js';
import type { McpEventPredicate, McpStreamFilters } from './subscription/event-filter.js';
import type { McpOverflowPolicy } from './subscription/mcp-stream-subscription.js';
import type { McpWindowProcessor } from './window/run-windows.js';

export interface MCPStreamOptions {
  /**
   * The session the stream listens on (`MCPClient`, `MCPTestClient`, any `McpSession`).
   * Optional with a `bus`: a process that only reads group subscriptions needs none.
   */
  client?: McpSession;
  /** Fan-out across processes: `relay()` publishes here, group subscriptions read from here. */
  bus?: StreamBus;
  /** The bus topic (default `<server>/<name>` from the URI). */
  topic?: string;
  /** `mcp://<server>/<stream>`: see the README for what the name selects. */
  uri: string;
  /** Events each subscriber may have waiting (default 1000). */
  bufferSize?: number;
  /** What a full buffer does with one more event (default `drop-oldest`). */
  overflow?: McpOverflowPolicy;
  /** Listen to these instead of what the URI selects. */
  sources?: McpStreamSource[];
  /** For a resource stream: snapshots (default) or an append-only log read by cursor. */
  read?: McpResourceReadMode;
  /** For log sources: the level to ask the server for (`logging/setLevel`). */
  logLevel?: LoggingLevel;
  /** How publish() reaches the server. */
  publish?: McpPublishOptions;
  /**
   * Told about what the stream skipped or survived: malformed notifications, failed resource
   * reads, throwing filters and window processors (default: console.warn).
   */
  onError?: (error: unknown, context: { stream: string; where: string }) => void;
}

export interface McpSubscribeOptions {
  /** Equality, any-of lists and nested paths, all of which must hold. */
  filters?: McpStreamFilters;
  /** A predicate, checked after `filters`. */
  where?: McpEventPredicate;
  /** This subscriber's buffer (default: the stream's). */
  bufferSize?: number;
  overflow?: McpOverflowPolicy;
  /** Ends the subscription (the loop over it finishes). */
  signal?: AbortSignal;
  /**
   * Read from the stream's bus as a member of this consumer group: each event reaches one
   * member of each group, and is acknowledged once the consumer is done with it (when it asks
   * for the next one, or leaves the loop with break). What a consumer that died left behind
   * is delivered again. Needs the stream's `bus`.
   */
  group?: string;
  /** This member's name in the group: keep it across restarts (default: unique per process). */
  consumer?: string;
  /** Where a new group starts: new events only (default) or what the bus retains. */
  startAt?: 'new' | 'start';
  /** Events another member left unacknowledged this long are taken over (ms, bus default). */
  claimIdleMs?: number;
}

export interface McpRelayOptions {
  /** Stops the relay. */
  signal?: AbortSignal;
  /**
   * Events waiting for the bus, at most (default: the stream's bufferSize, else 10 000). When
   * the bus falls further behind the oldest are dropped and a gap marker (`overflow`) follows.
   */
  bufferSize?: number;
}

export interface McpProcessWindowedOptions<T = unknown> extends McpSubscribeOptions {
  windowSize?: number;
  windowDurationMs?: number;
  slideSize?: number;
  slideDurationMs?: number;
  processor: McpWindowProcessor<T>;
  /** The window in flight when the stream ends: processed as partial (default) or dropped. */
  onEnd?: 'flush' | 'discard';
}

const positiveInt = z.number().int().positive();
const overflow = z.enum(['drop-oldest', 'drop-newest', 'fail']);
const level = z.enum(LOGGING_LEVELS as [LoggingLevel, ...LoggingLevel[]]);
const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
    message: `expected ${what}`,
  });

const source = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('resource'),
    uri: z.string().min(1),
    read: z.enum(['snapshot', 'append']).optional(),
  }),
  z.object({ kind: z.literal('log') }),
  z.object({ kind: z.literal('progress') }),
  z.object({
    kind: z.literal('list-changed'),
    lists: z
      .array(z.enum(['tools', 'resources', 'prompts']))
      .min(1)
      .optional(),
  }),
  z.object({ kind: z.literal('notification'), method: z.string().min(1) }),
]);

const streamSchema = z
  .object({
    client: z
      .custom<McpSession>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          typeof (value as McpSession).onNotification === 'function' &&
          typeof (value as McpSession).subscribe === 'function',
        { message: 'expected an McpSession (MCPClient, MCPTestClient, ...)' },
      )
      .optional(),
    bus: z
      .custom<StreamBus>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          typeof (value as StreamBus).publish === 'function' &&
          typeof (value as StreamBus).consume === 'function',
        { message: 'expected a StreamBus (InProcessStreamBus, RedisStreamBus, ...)' },
      )
      .optional(),
    topic: z.string().min(1).optional(),
    uri: z.string().min(1),
    bufferSize: positiveInt.optional(),
    overflow: overflow.optional(),
    sources: z.array(source).min(1).optional(),
    read: z.enum(['snapshot', 'append']).optional(),
    logLevel: level.optional(),
    publish: z
      .object({ tool: z.string().min(1).optional(), arguments: fn('a function').optional() })
      .optional(),
    onError: fn('a function').optional(),
  })
  .refine((value) => value.client !== undefined || value.bus !== undefined, {
    path: ['client'],
    message: 'expected an McpSession (or a bus, for a stream read only from its bus)',
  });

const subscribeShape = {
  filters: z.record(z.string(), z.unknown()).optional(),
  where: fn('a function (event) => boolean').optional(),
  bufferSize: positiveInt.optional(),
  overflow: overflow.optional(),
  signal: z.instanceof(AbortSignal).optional(),
  group: z.string().min(1).optional(),
  consumer: z.string().min(1).optional(),
  startAt: z.enum(['new', 'start']).optional(),
  claimIdleMs: z.number().nonnegative().optional(),
};
const subscribeSchema = z.object(subscribeShape);

const windowedSchema = z
  .object({
    ...subscribeShape,
    windowSize: positiveInt.optional(),
    windowDurationMs: z.number().positive().optional(),
    slideSize: positiveInt.optional(),
    slideDurationMs: z.number().positive().optional(),
    processor: fn('a function (events, info) => unknown'),
    onEnd: z.enum(['flush', 'discard']).optional(),
  })
  .superRefine((value, context) => {
    const issue = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (value.windowSize === undefined && value.windowDurationMs === undefined)
      issue('windowSize', 'windowSize and/or windowDurationMs');
    if (value.slideSize !== undefined) {
      if (value.windowSize === undefined || value.windowDurationMs !== undefined)
        issue('slideSize', 'slideSize with windowSize alone (sliding by count)');
      else if (value.slideSize > value.windowSize)
        issue('slideSize', `at most windowSize (${value.windowSize})`);
    }
    if (value.slideDurationMs !== undefined) {
      if (value.windowDurationMs === undefined || value.windowSize !== undefined)
        issue('slideDurationMs', 'slideDurationMs with windowDurationMs alone (sliding by time)');
      else if (value.slideDurationMs > value.windowDurationMs)
        issue('slideDurationMs', `at most windowDurationMs (${value.windowDurationMs})`);
    }
    if (value.slideSize !== undefined && value.slideDurationMs !== undefined)
      issue('slideSize', 'either slideSize or slideDurationMs');
  });

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String);
  const field = path.join('.') || where;
  throw new McpConfigError(
    `Invalid ${where}${path.length ? `.${path.join('.')}` : ''}: ${issue.message}`,
    {
      field,
      expected: issue.message,
      received: path.reduce<unknown>(
        (at, key) =>
          typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined,
        value,
      ),
    },
  );
}

export const parseStreamOptions = (value: unknown): MCPStreamOptions =>
  parse(streamSchema, value, 'MCPStream options') as MCPStreamOptions;

export const parseSubscribeOptions = (value: unknown): McpSubscribeOptions =>
  parse(subscribeSchema, value, 'subscribe options') as McpSubscribeOptions;

const relaySchema = z.object({
  signal: z.instanceof(AbortSignal).optional(),
  bufferSize: positiveInt.optional(),
});

export const parseRelayOptions = (value: unknown): McpRelayOptions =>
  parse(relaySchema, value, 'relay options') as McpRelayOptions;

export const parseWindowedOptions = <T>(value: unknown): McpProcessWindowedOptions<T> =>
  parse(windowedSchema, value, 'processWindowed options') as McpProcessWindowedOptions<T>;
