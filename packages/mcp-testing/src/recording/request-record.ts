// The mutable record behind RecordedRequest: created on arrival, settled once.
import type { McpProtocolEra } from '@tframex/mcp-api';
import type { FaultType } from '../faults/fault.js';
import type { MockTransportKind } from '../server/transport-kind.js';
import type { RecordedOutcome, RecordedRequest } from './recorded-request.js';

export interface RequestRecordInit {
  id: string | number;
  method: string;
  params: Record<string, unknown> | undefined;
  transport: MockTransportKind;
  era: McpProtocolEra;
  sessionId: string | undefined;
  headers: Record<string, string> | undefined;
}

function targetOf(method: string, params: Record<string, unknown> | undefined): string | undefined {
  const key = method === 'resources/read' || method.startsWith('resources/') ? 'uri' : 'name';
  const value = params?.[key];
  return typeof value === 'string' ? value : undefined;
}

export class RequestRecord implements RecordedRequest {
  readonly seq: number;
  readonly id: string | number;
  readonly method: string;
  readonly params: Record<string, unknown> | undefined;
  readonly target: string | undefined;
  readonly arguments: Record<string, unknown> | undefined;
  readonly transport: MockTransportKind;
  readonly era: McpProtocolEra;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly startedAt = Date.now();
  readonly settled: Promise<RecordedRequest>;
  readonly #startedAtMs = performance.now();
  readonly #faults: FaultType[] = [];
  #sessionId: string | undefined;
  #outcome: RecordedOutcome = { type: 'pending' };
  #durationMs: number | undefined;
  #resolve!: (record: RecordedRequest) => void;

  constructor(seq: number, init: RequestRecordInit) {
    this.seq = seq;
    this.id = init.id;
    this.method = init.method;
    this.params = init.params;
    this.target = targetOf(init.method, init.params);
    const args = init.params?.['arguments'];
    this.arguments =
      typeof args === 'object' && args !== null && !Array.isArray(args)
        ? (args as Record<string, unknown>)
        : undefined;
    this.transport = init.transport;
    this.era = init.era;
    this.#sessionId = init.sessionId;
    this.headers = init.headers;
    this.settled = new Promise((resolve) => (this.#resolve = resolve));
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** An `initialize` request carries no session id: it gets the one it opened. */
  assignSession(sessionId: string): void {
    this.#sessionId ??= sessionId;
  }

  get outcome(): RecordedOutcome {
    return this.#outcome;
  }

  get durationMs(): number | undefined {
    return this.#durationMs;
  }

  get faults(): readonly FaultType[] {
    return this.#faults;
  }

  get pending(): boolean {
    return this.#outcome.type === 'pending';
  }

  noteFault(fault: FaultType): void {
    this.#faults.push(fault);
  }

  /** Records the outcome; later calls are ignored (the first answer is what the client saw). */
  settle(outcome: Exclude<RecordedOutcome, { type: 'pending' }>): void {
    if (this.#outcome.type !== 'pending') return;
    this.#outcome = outcome;
    this.#durationMs = performance.now() - this.#startedAtMs;
    this.#resolve(this);
  }
}
