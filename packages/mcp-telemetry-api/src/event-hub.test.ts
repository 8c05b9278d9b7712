import { describe, expect, it } from 'vitest';
import {
  McpEventHub,
  METRIC_MCP_CLIENT_OPERATION_DURATION,
  NOOP_EVENT_SOURCE,
  type McpClientEvents,
  type McpEventSource,
  type McpRequestEndEvent,
} from './index.js';

const end: McpRequestEndEvent = {
  requestId: 1,
  callId: 1,
  server: 'db',
  method: 'tools/call',
  target: 'query',
  attempt: 1,
  startTime: 0,
  durationMs: 12,
  outcome: 'ok',
};

describe('McpEventHub', () => {
  it('delivers typed events to listeners until they unsubscribe', () => {
    const hub = new McpEventHub();
    const seen: McpRequestEndEvent[] = [];
    expect(hub.hasListeners('request:end')).toBe(false);
    const off = hub.on('request:end', (event) => seen.push(event));
    expect(hub.hasListeners('request:end')).toBe(true);
    hub.emit('request:end', end);
    off();
    hub.emit('request:end', end);
    expect(seen).toEqual([end]);
    expect(hub.hasListeners('request:end')).toBe(false);
  });

  it('keeps emitting when a listener throws, and reports the throw', () => {
    const hub = new McpEventHub();
    const errors: unknown[] = [];
    hub.onListenerError = (error) => errors.push(error);
    const calls: string[] = [];
    hub.on('retry', () => {
      throw new Error('listener bug');
    });
    hub.on('retry', (event) => calls.push(event.method));
    hub.emit('retry', { server: 'db', method: 'tools/call', attempt: 2, delayMs: 100 });
    expect(calls).toEqual(['tools/call']);
    expect(errors).toHaveLength(1);
  });

  it('lets a listener remove itself while an emit is in flight', () => {
    const hub = new McpEventHub();
    const order: string[] = [];
    const off = hub.on('notification', () => {
      order.push('first');
      off();
    });
    hub.on('notification', () => order.push('second'));
    hub.emit('notification', { server: 'db', method: 'notifications/message' });
    hub.emit('notification', { server: 'db', method: 'notifications/message' });
    expect(order).toEqual(['first', 'second', 'second']);
  });

  it('works with custom event maps', () => {
    interface PoolEvents {
      'pool:size': { size: number };
    }
    const hub = new McpEventHub<PoolEvents>();
    const source: McpEventSource<PoolEvents> = hub;
    let size = 0;
    source.on('pool:size', (event) => (size = event.size));
    hub.emit('pool:size', { size: 4 });
    expect(size).toBe(4);
  });
});

describe('NOOP_EVENT_SOURCE and metric names', () => {
  it('accepts listeners and never calls them', () => {
    const source: McpEventSource<McpClientEvents> = NOOP_EVENT_SOURCE;
    const off = source.on('request:end', () => {
      throw new Error('never');
    });
    off();
    source.off('request:end', () => undefined);
  });

  it('follows the OpenTelemetry MCP conventions', () => {
    expect(METRIC_MCP_CLIENT_OPERATION_DURATION).toBe('mcp.client.operation.duration');
  });
});
