// Sits between a transport and the SDK server on one connection: records every request and
// its answer, and applies the faults that act on JSON-RPC messages (latency, concurrency
// limits, injected errors, oversized answers; on stdio and memory also stalls, drops and
// malformed frames).
import type { McpProtocolEra } from '@tframex/mcp-api';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import type { FaultType } from '../faults/fault.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { RequestLog } from '../recording/request-log.js';
import type { RequestRecord } from '../recording/request-record.js';
import { ListPaging, type PageCut } from './list-paging.js';
import type { MockTransportKind } from './transport-kind.js';

type RequestId = string | number;
type Deliver = (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
type Send = (message: JSONRPCMessage) => Promise<void>;

export interface TapHooks {
  readonly transport: MockTransportKind;
  /** Era of an inbound request or notification. */
  eraOf(message: JSONRPCRequest | JSONRPCNotification): McpProtocolEra;
  sessionId(): string | undefined;
  /** HTTP: the record the HTTP edge opened for this request, if it did. */
  recordOf?(id: RequestId, extra: MessageExtraInfo | undefined): RequestRecord | undefined;
  /** Ends the connection (a drop fault on stdio and memory). */
  drop?(): void;
  /** Writes a frame that is not valid JSON-RPC (a malformed fault on stdio and memory). */
  sendMalformed?(id: RequestId): Promise<void>;
  /** Serves lists in pages, when the server has a page size. */
  paging?: ListPaging;
}

interface Pending {
  readonly record: RequestRecord;
  readonly releases: Array<() => void>;
  paddingBytes: number;
  /** The page of a whole list to answer with. */
  page?: PageCut;
}

const TERMINAL: ReadonlySet<FaultType> = new Set([
  'jsonrpc-error',
  'tool-error',
  'stall',
  'drop',
  'malformed',
]);

function pad(message: JSONRPCMessage, bytes: number): JSONRPCMessage {
  if (!isJSONRPCResultResponse(message)) return message;
  const result = message.result as Record<string, unknown>;
  const padding = 'x'.repeat(bytes);
  const padded = Array.isArray(result['content'])
    ? { ...result, content: [...(result['content'] as unknown[]), { type: 'text', text: padding }] }
    : {
        ...result,
        _meta: { ...(result['_meta'] as Record<string, unknown> | undefined), padding },
      };
  return { ...message, result: padded };
}

export class MessageTap {
  readonly #log: RequestLog;
  readonly #faults: FaultInjector;
  readonly #hooks: TapHooks;
  readonly #pending = new Map<RequestId, Pending>();
  readonly #timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  #closed = false;

  constructor(log: RequestLog, faults: FaultInjector, hooks: TapHooks) {
    this.#log = log;
    this.#faults = faults;
    this.#hooks = hooks;
  }

  inbound(
    message: JSONRPCMessage,
    extra: MessageExtraInfo | undefined,
    deliver: Deliver,
    send: Send,
  ): void {
    if (isJSONRPCRequest(message)) {
      this.#request(message, extra, deliver, send);
      return;
    }
    if (isJSONRPCNotification(message)) {
      this.#log.notification({
        method: message.method,
        params: message.params as Record<string, unknown> | undefined,
        transport: this.#hooks.transport,
        era: this.#hooks.eraOf(message),
        sessionId: this.#hooks.sessionId(),
      });
    }
    deliver(message, extra);
  }

  /** Every message the server sends passes here; answers settle their records. */
  outbound(message: JSONRPCMessage, send: Send): Promise<void> {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      const pending = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (pending && message.id !== undefined) {
        this.#pending.delete(message.id);
        const paged =
          pending.page && isJSONRPCResultResponse(message)
            ? {
                ...message,
                result: ListPaging.cut(message.result as Record<string, unknown>, pending.page),
              }
            : message;
        const sent = pending.paddingBytes > 0 ? pad(paged, pending.paddingBytes) : paged;
        if (isJSONRPCErrorResponse(sent)) {
          pending.record.settle({
            type: 'error',
            code: sent.error.code,
            message: sent.error.message,
            data: sent.error.data,
          });
        } else if (isJSONRPCResultResponse(sent)) {
          pending.record.settle({ type: 'result', result: sent.result as Record<string, unknown> });
        }
        for (const release of pending.releases) release();
        return send(sent);
      }
    }
    return send(message);
  }

  /** The connection ended: unanswered requests are closed and their slots freed. */
  closed(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const [timer, wake] of this.#timers) {
      clearTimeout(timer);
      wake();
    }
    this.#timers.clear();
    for (const pending of this.#pending.values()) {
      pending.record.settle({ type: 'closed' });
      for (const release of pending.releases) release();
    }
    this.#pending.clear();
  }

  #request(
    message: JSONRPCRequest,
    extra: MessageExtraInfo | undefined,
    deliver: Deliver,
    send: Send,
  ): void {
    const era = this.#hooks.eraOf(message);
    const params = message.params as Record<string, unknown> | undefined;
    const sessionId = this.#hooks.sessionId();
    const record =
      this.#hooks.recordOf?.(message.id, extra) ??
      this.#log.begin({
        id: message.id,
        method: message.method,
        params,
        transport: this.#hooks.transport,
        era,
        sessionId,
        headers: undefined,
      });
    const pending: Pending = { record, releases: [], paddingBytes: 0 };
    this.#pending.set(message.id, pending);
    const paged = this.#hooks.paging?.classify(message) ?? { kind: 'whole' };
    if (paged.kind === 'invalid-cursor') {
      void this.outbound(
        {
          jsonrpc: '2.0',
          id: message.id,
          error: { code: -32602, message: `Invalid cursor: ${JSON.stringify(paged.cursor)}` },
        },
        send,
      ).catch(() => undefined);
      return;
    }
    if (paged.kind === 'page') {
      pending.page = paged.cut;
      message = paged.message;
    }
    const selected = this.#faults.select(
      {
        method: message.method,
        params,
        target: record.target,
        era,
        transport: this.#hooks.transport,
        sessionId,
      },
      'message',
    );
    if (selected.length === 0) {
      deliver(message, extra);
      return;
    }
    void this.#faulted(message, extra, deliver, send, pending, selected).catch(() => {
      // The connection broke while a fault was acting; closed() settles the record.
    });
  }

  async #faulted(
    message: JSONRPCRequest,
    extra: MessageExtraInfo | undefined,
    deliver: Deliver,
    send: Send,
    pending: Pending,
    selected: ReturnType<FaultInjector['select']>,
  ): Promise<void> {
    const { record } = pending;
    for (const { spec, gate } of selected) {
      if (spec.type === 'concurrency' && gate) {
        const release = await gate.acquire();
        pending.releases.push(release);
        record.noteFault('concurrency');
        if (this.#closed) return release();
      }
    }
    for (const { spec } of selected) {
      if (spec.type !== 'latency') continue;
      record.noteFault('latency');
      await this.#sleep(spec.ms);
      if (this.#closed) return;
    }
    for (const { spec } of selected) {
      if (spec.type === 'oversized') {
        record.noteFault('oversized');
        pending.paddingBytes = Math.max(pending.paddingBytes, spec.bytes);
      }
    }
    const terminal = selected.find(({ spec }) => TERMINAL.has(spec.type))?.spec;
    if (!terminal) {
      deliver(message, extra);
      return;
    }
    record.noteFault(terminal.type);
    switch (terminal.type) {
      case 'jsonrpc-error':
        await this.outbound(
          {
            jsonrpc: '2.0',
            id: message.id,
            error: {
              code: terminal.code ?? -32603,
              message: terminal.message ?? 'Injected error',
              ...(terminal.data === undefined ? {} : { data: terminal.data }),
            },
          },
          send,
        );
        return;
      case 'tool-error': {
        const result = {
          content: [{ type: 'text', text: terminal.message ?? 'Injected tool failure' }],
          isError: true,
          // The 2026-07-28 wire requires the discriminator; 2025 clients ignore it.
          ...(record.era === 'modern' ? { resultType: 'complete' } : {}),
        };
        await this.outbound({ jsonrpc: '2.0', id: message.id, result }, send);
        return;
      }
      case 'stall':
        // Never answered; the slot stays taken until the connection ends, as on a hung server.
        record.settle({ type: 'fault', fault: 'stall' });
        return;
      case 'drop':
        record.settle({ type: 'fault', fault: 'drop' });
        this.#hooks.drop?.();
        return;
      case 'malformed':
        record.settle({ type: 'fault', fault: 'malformed' });
        await this.#hooks.sendMalformed?.(message.id);
        return;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.set(timer, resolve);
    });
  }
}

/**
 * Taps a transport the SDK server is already connected to, in place (HTTP transports, whose
 * messages only arrive after connect). The SDK's own handlers stay in charge of everything else.
 */
export function tapConnectedTransport(transport: Transport, tap: MessageTap): void {
  const deliver = transport.onmessage;
  if (!deliver) return;
  const send = transport.send.bind(transport);
  const onclose = transport.onclose;
  transport.onmessage = (message, extra) =>
    tap.inbound(
      message,
      extra,
      (m, e) => deliver(m, e),
      (m) => send(m),
    );
  transport.send = (message: JSONRPCMessage, options?: TransportSendOptions) =>
    tap.outbound(message, (m) => send(m, options));
  transport.onclose = () => {
    tap.closed();
    onclose?.();
  };
}

export interface TappedTransportOptions {
  /** Answers a message instead of delivering it (a legacy-only server refusing modern probes). */
  screen?: (message: JSONRPCMessage) => JSONRPCMessage | undefined;
  /** Called once the wire has closed. */
  onClosed?: () => void;
}

/** Wraps a wire transport before the SDK entry takes it (stdio, memory), so nothing slips past. */
export class TappedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  readonly #inner: Transport;
  readonly #tap: MessageTap;
  readonly #options: TappedTransportOptions;

  constructor(inner: Transport, tap: MessageTap, options: TappedTransportOptions = {}) {
    this.#inner = inner;
    this.#tap = tap;
    this.#options = options;
  }

  async start(): Promise<void> {
    this.#inner.onmessage = (message, extra) => {
      const answer = this.#options.screen?.(message);
      if (answer) {
        this.#inner.send(answer).catch((error: unknown) => this.onerror?.(error as Error));
        return;
      }
      this.#tap.inbound(
        message,
        extra,
        (m, e) => this.onmessage?.(m, e),
        (m) => this.#inner.send(m),
      );
    };
    this.#inner.onclose = () => {
      this.#tap.closed();
      this.onclose?.();
      this.#options.onClosed?.();
    };
    this.#inner.onerror = (error) => this.onerror?.(error);
    await this.#inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.#tap.outbound(message, (m) => this.#inner.send(m, options));
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
