// type 'messagequeue': MCP has no publish primitive, so publishing is a tool call. `<name>` is
// `<queue system>[/<topic prefix>]`: topics are sent as `<prefix>.<topic>`.
import { McpConfigError, type JsonSchema } from '@tframex/mcp-api';
import type { OperationOptions, PublishReceipt } from '../operation-options.js';
import {
  defineResourceDriver,
  type DriverContext,
  type DriverServerView,
} from '../resource-driver.js';
import { parseJson, textOf } from '../tool-result.js';
import { encodeValue } from '../keyvalue/kv-values.js';

function options(o: OperationOptions) {
  return {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  };
}

function fullTopic(context: DriverContext, topic: string): string {
  if (/[\s\0]/.test(topic)) {
    throw new McpConfigError(`Topic ${JSON.stringify(topic)} holds whitespace or NUL`, {
      field: 'topic',
      expected: 'a topic name without whitespace',
      received: topic,
    });
  }
  return context.prefix === '' ? topic : `${context.prefix.replace(/\//g, '.')}.${topic}`;
}

/** mcp-redis: `redis_command XADD <topic> * payload <json>` onto a Redis stream. */
export const redisStreamsDriver = defineResourceDriver({
  name: 'mcp-redis-streams',
  type: 'messagequeue',
  requires: ['redis_command'],
  async publish(context, topic, payload, o): Promise<PublishReceipt> {
    const stream = fullTopic(context, topic);
    const result = await context.call(
      'redis_command',
      { command: 'XADD', args: [stream, '*', 'payload', encodeValue(payload, topic)] },
      options(o),
    );
    const id = parseJson(textOf(result), 'redis_command');
    return { topic: stream, ...(typeof id === 'string' ? { id } : {}) };
  },
});

const TOPIC_FIELDS = ['topic', 'channel', 'subject', 'queue', 'stream', 'routingKey'];
const PAYLOAD_FIELDS = ['message', 'payload', 'data', 'body'];

function fieldsOf(server: DriverServerView): { topic?: string; payload?: string } {
  const schema = server.tools.get('publish')?.inputSchema as JsonSchema | undefined;
  const properties = Object.keys(
    (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {},
  );
  const topic = TOPIC_FIELDS.find((field) => properties.includes(field));
  const payload = PAYLOAD_FIELDS.find((field) => properties.includes(field));
  return { ...(topic ? { topic } : {}), ...(payload ? { payload } : {}) };
}

/** Any server with a `publish` tool taking a topic-like and a payload-like argument. */
export const publishToolDriver = defineResourceDriver({
  name: 'publish-tool',
  type: 'messagequeue',
  requires: ['publish'],
  matches: (server) => {
    const fields = fieldsOf(server);
    return fields.topic !== undefined && fields.payload !== undefined;
  },
  async publish(context, topic, payload, o): Promise<PublishReceipt> {
    const fields = fieldsOf(context);
    const full = fullTopic(context, topic);
    const result = await context.call(
      'publish',
      { [fields.topic!]: full, [fields.payload!]: payload },
      options(o),
    );
    const structured = result.structuredContent as Record<string, unknown> | undefined;
    const id = structured?.['id'] ?? structured?.['messageId'];
    return {
      topic: full,
      ...(typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : {}),
    };
  },
});

export const MESSAGEQUEUE_DRIVERS = [publishToolDriver, redisStreamsDriver];
