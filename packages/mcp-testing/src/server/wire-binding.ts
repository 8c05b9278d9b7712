// Serves one stdio or in-memory connection through the SDK's serveStdio entry, which settles
// the era from the opening exchange; the wire is tapped first so nothing escapes recording.
import type { Writable } from 'node:stream';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import { ignore } from '../config/ignore.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { ListPaging } from './list-paging.js';
import type { RequestLog } from '../recording/request-log.js';
import type { MockServerEra } from './http-endpoint.js';
import type { InstanceFactory } from './instance-factory.js';
import { MessageTap, TappedTransport } from './message-tap.js';
import { refuseModern, wireEraOf } from './wire-era.js';

export interface WireBindingOptions {
  transport: 'stdio' | 'memory';
  era: MockServerEra;
  factory: InstanceFactory;
  log: RequestLog;
  faults: FaultInjector;
  paging: ListPaging;
  onError: (error: Error) => void;
  /** The raw output stream, for malformed frames on stdio. */
  rawOutput?: Writable;
  /** Called once the connection has ended, from either side. */
  onClosed: () => void;
}

export class WireBinding {
  readonly #handle: StdioServerHandle;
  #closed = false;

  constructor(wire: Transport, options: WireBindingOptions) {
    const tap = new MessageTap(options.log, options.faults, {
      transport: options.transport,
      eraOf: wireEraOf,
      sessionId: () => undefined,
      paging: options.paging,
      drop: () => void this.close(),
      sendMalformed: async (id) => {
        const frame = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[`;
        if (options.rawOutput) {
          await new Promise<void>((resolve) =>
            options.rawOutput!.write(`${frame}\n`, () => resolve()),
          );
        } else {
          // In memory there are no bytes to garble: deliver a message no JSON-RPC shape fits.
          await wire.send({ jsonrpc: '2.0', id, malformed: frame } as unknown as JSONRPCMessage);
        }
      },
    });
    const tapped = new TappedTransport(wire, tap, {
      ...(options.era === 'legacy' ? { screen: refuseModern } : {}),
      onClosed: () => {
        if (this.#closed) return;
        this.#closed = true;
        options.onClosed();
      },
    });
    this.#handle = serveStdio(
      ({ era }) =>
        options.factory.create(
          { transport: options.transport, era, sessionId: () => undefined },
          true,
        ),
      {
        transport: tapped,
        legacy: options.era === 'modern' ? 'reject' : 'serve',
        onerror: options.onError,
      },
    );
  }

  async close(): Promise<void> {
    await this.#handle.close().catch(ignore);
  }
}
