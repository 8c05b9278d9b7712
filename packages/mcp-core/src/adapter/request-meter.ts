// Counts the bytes of a request and of its response at the transport seam of one connection:
// the size of each serialized JSON-RPC message (UTF-8), whatever the transport (stdio, HTTP,
// in memory). Only requests whose caller asked (a report with `countBytes`) are measured, so
// a client nobody observes serializes nothing twice and keeps no per-request record.
import type { Client, JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import type { SdkRequestReport } from './sdk-types.js';

/** Where SDK request options carry the report to the meter (a constant key, no state). */
export const REPORT_OPTION: unique symbol = Symbol('tframex.mcp.request-report');

type RequestId = string | number;

function reportIn(options: unknown): SdkRequestReport | undefined {
  return typeof options === 'object' && options !== null
    ? (options as { [REPORT_OPTION]?: SdkRequestReport })[REPORT_OPTION]
    : undefined;
}

function byteSize(message: JSONRPCMessage): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8');
}

export class RequestMeter {
  /** The report of the request the SDK is sending right now (its send is synchronous). */
  #armed: SdkRequestReport | undefined;
  /** Measured requests sent and not answered yet, by JSON-RPC id. */
  readonly #pending = new Map<RequestId, SdkRequestReport>();

  /**
   * Arms the meter for each request `client` sends with a report: the SDK sends
   * synchronously inside `request`, so the transport's `send` takes the armed report.
   */
  attachClient(client: Client): void {
    const request = client.request.bind(client) as (...args: unknown[]) => unknown;
    client.request = ((...args: unknown[]) => {
      const report = reportIn(args[2]) ?? reportIn(args[1]);
      if (report === undefined) return request(...args);
      this.#armed = report;
      try {
        return request(...args);
      } finally {
        this.#armed = undefined;
      }
    }) as Client['request'];
  }

  /**
   * Measures at the transport itself (before any wrapper around it): `send` sizes the armed
   * request, `onmessage` (which the SDK chains after ours) its response, found by id.
   */
  attachTransport(transport: Transport): void {
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      const report = this.#armed;
      if (report !== undefined && 'method' in message && 'id' in message) {
        this.#armed = undefined;
        this.#pending.set(message.id, report);
        report.bytesSent = (report.bytesSent ?? 0) + byteSize(message);
      }
      return send(message, options);
    };
    const previous = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (this.#pending.size > 0 && 'id' in message && !('method' in message)) {
        const report = this.#pending.get(message.id as RequestId);
        if (report !== undefined) {
          this.#pending.delete(message.id as RequestId);
          report.bytesReceived = (report.bytesReceived ?? 0) + byteSize(message);
        }
      }
      previous?.(message, extra);
    };
  }

  /** The request of `report` settled: forget what it left unanswered (timeout, abort). */
  settled(report: SdkRequestReport): void {
    if (this.#pending.size === 0) return;
    for (const [id, pending] of this.#pending) if (pending === report) this.#pending.delete(id);
  }
}
