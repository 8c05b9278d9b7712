// Decides, per request, which injected faults act on it: rules are matched in injection
// order, limited by `after`, `times` and a seeded `probability`, and removable by handle.
import type { McpProtocolEra } from '@tframex/mcp-api';
import * as z from 'zod';
import { parseOptions } from '../config/parse-options.js';
import type { MockTransportKind } from '../server/transport-kind.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import type { FaultSpec, FaultType } from './fault.js';
import { SeededRandom } from './seeded-random.js';

/** What a rule's filters and `match` predicate see of a request. */
export interface FaultTarget {
  method: string;
  params: Record<string, unknown> | undefined;
  /** Tool or prompt name, or resource URI. */
  target: string | undefined;
  era: McpProtocolEra;
  transport: MockTransportKind;
  sessionId: string | undefined;
}

export interface FaultRule {
  fault: FaultSpec;
  /** Only `tools/call` of this tool. */
  tool?: string;
  /** Only requests with this JSON-RPC method. */
  method?: string;
  /** Only `resources/read` of this URI. */
  resource?: string;
  /** Only `prompts/get` of this prompt. */
  prompt?: string;
  era?: McpProtocolEra;
  transport?: MockTransportKind;
  /** Any further condition. */
  match?: (target: FaultTarget) => boolean;
  /** Let the first `after` matching requests through untouched. */
  after?: number;
  /** Act at most this many times, then retire. */
  times?: number;
  /** Act on each matching request with this probability, drawn from the server's seeded PRNG. */
  probability?: number;
}

export interface FaultHandle {
  readonly id: number;
  readonly fault: FaultSpec;
  /** False once removed, cleared or used up (`times`). */
  readonly active: boolean;
  /** Requests that passed the rule's filters. */
  readonly matched: number;
  /** Requests the fault acted on. */
  readonly applied: number;
  remove(): void;
}

/** Where a fault acts: at the HTTP edge, or on the JSON-RPC message in any transport. */
export type FaultStage = 'http' | 'message';

const HTTP_ONLY: ReadonlySet<FaultType> = new Set(['http', 'kill-session']);
const HTTP_EDGE: ReadonlySet<FaultType> = new Set([
  'http',
  'kill-session',
  'drop',
  'stall',
  'malformed',
]);

function stageOf(type: FaultType, transport: MockTransportKind): FaultStage | undefined {
  if (transport === 'http') return HTTP_EDGE.has(type) ? 'http' : 'message';
  return HTTP_ONLY.has(type) ? undefined : 'message';
}

const finite = (what: string) => z.number({ error: what }).finite({ error: what });
const nonNegativeInt = z.number().int().nonnegative({ error: 'a whole number ≥ 0' });
const positiveInt = z.number().int().positive({ error: 'a whole number ≥ 1' });

const faultSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('latency'),
      ms: finite('milliseconds ≥ 0').nonnegative({ error: 'milliseconds ≥ 0' }),
    }),
    z.object({
      type: z.literal('jsonrpc-error'),
      code: z.number().int({ error: 'an integer JSON-RPC error code' }).optional(),
      message: z.string().optional(),
      data: z.unknown().optional(),
    }),
    z.object({ type: z.literal('tool-error'), message: z.string().optional() }),
    z.object({
      type: z.literal('http'),
      status: z
        .number()
        .int()
        .min(100, { error: 'an HTTP status (100-599)' })
        .max(599, { error: 'an HTTP status (100-599)' }),
      retryAfterSeconds: nonNegativeInt.optional(),
      scope: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.string().optional(),
    }),
    z.object({ type: z.literal('kill-session') }),
    z.object({
      type: z.literal('drop'),
      phase: z.enum(['mid-response', 'before-response']).optional(),
    }),
    z.object({ type: z.literal('stall') }),
    z.object({ type: z.literal('malformed') }),
    z.object({ type: z.literal('oversized'), bytes: positiveInt }),
    z.object({ type: z.literal('concurrency'), limit: positiveInt }),
  ],
  {
    error:
      'a fault: latency, jsonrpc-error, tool-error, http, kill-session, drop, stall, malformed, oversized or concurrency',
  },
);

const ruleSchema = z.object({
  fault: faultSchema,
  tool: z.string().min(1).optional(),
  method: z.string().min(1).optional(),
  resource: z.string().min(1).optional(),
  prompt: z.string().min(1).optional(),
  era: z.enum(['legacy', 'modern']).optional(),
  transport: z.enum(['http', 'stdio', 'memory']).optional(),
  match: z
    .custom<
      (target: FaultTarget) => boolean
    >((value) => typeof value === 'function', { error: 'a function' })
    .optional(),
  after: nonNegativeInt.optional(),
  times: positiveInt.optional(),
  probability: z
    .number()
    .min(0, { error: 'a probability in [0, 1]' })
    .max(1, { error: 'a probability in [0, 1]' })
    .optional(),
});

/** A fault chosen for one request. */
export interface SelectedFault {
  readonly spec: FaultSpec;
  /** The rule's gate, for concurrency faults. */
  readonly gate: ConcurrencyGate | undefined;
}

class Rule implements FaultHandle {
  readonly id: number;
  readonly fault: FaultSpec;
  readonly gate: ConcurrencyGate | undefined;
  readonly #rule: FaultRule;
  readonly #onRemove: (rule: Rule) => void;
  #active = true;
  #matched = 0;
  #applied = 0;

  constructor(id: number, rule: FaultRule, onRemove: (rule: Rule) => void) {
    this.id = id;
    this.fault = rule.fault;
    this.#rule = rule;
    this.#onRemove = onRemove;
    this.gate =
      rule.fault.type === 'concurrency' ? new ConcurrencyGate(rule.fault.limit) : undefined;
  }

  get active(): boolean {
    return this.#active;
  }
  get matched(): number {
    return this.#matched;
  }
  get applied(): number {
    return this.#applied;
  }

  remove(): void {
    if (!this.#active) return;
    this.#active = false;
    this.gate?.openAll();
    this.#onRemove(this);
  }

  /** Whether the fault acts on this request; counts and retires as a side effect. */
  take(target: FaultTarget, random: SeededRandom): boolean {
    if (!this.#active || !this.#filtersPass(target)) return false;
    this.#matched += 1;
    if (this.#matched <= (this.#rule.after ?? 0)) return false;
    const probability = this.#rule.probability;
    if (probability !== undefined && random.next() >= probability) return false;
    this.#applied += 1;
    if (this.#rule.times !== undefined && this.#applied >= this.#rule.times) {
      // A used-up concurrency rule keeps gating the request it admitted; it just admits no more.
      this.#active = false;
      this.#onRemove(this);
    }
    return true;
  }

  #filtersPass(target: FaultTarget): boolean {
    const rule = this.#rule;
    // A tool error result only exists as an answer to tools/call.
    if (rule.fault.type === 'tool-error' && target.method !== 'tools/call') return false;
    if (rule.method !== undefined && target.method !== rule.method) return false;
    if (rule.tool !== undefined && (target.method !== 'tools/call' || target.target !== rule.tool))
      return false;
    if (
      rule.prompt !== undefined &&
      (target.method !== 'prompts/get' || target.target !== rule.prompt)
    )
      return false;
    if (
      rule.resource !== undefined &&
      (target.method !== 'resources/read' || target.target !== rule.resource)
    )
      return false;
    if (rule.era !== undefined && target.era !== rule.era) return false;
    if (rule.transport !== undefined && target.transport !== rule.transport) return false;
    return rule.match === undefined || rule.match(target);
  }
}

export class FaultInjector {
  readonly #rules: Rule[] = [];
  #random: SeededRandom;
  #nextId = 1;

  constructor(seed: number) {
    this.#random = new SeededRandom(seed);
  }

  /** Adds a fault rule; the returned handle removes it and counts what it did. */
  inject(rule: FaultRule): FaultHandle {
    const parsed = parseOptions(ruleSchema, rule, 'faults.inject') as FaultRule;
    const added = new Rule(this.#nextId++, { ...parsed, match: rule.match }, (done) => {
      const index = this.#rules.indexOf(done);
      if (index >= 0) this.#rules.splice(index, 1);
    });
    this.#rules.push(added);
    return added;
  }

  /** Active rules, in injection order. */
  list(): FaultHandle[] {
    return [...this.#rules];
  }

  /** Removes every rule (queued requests of concurrency rules are let through). */
  clear(): void {
    for (const rule of [...this.#rules]) rule.remove();
  }

  /** Restarts the PRNG that `probability` draws from. */
  reseed(seed: number): void {
    this.#random = new SeededRandom(seed);
  }

  /** The faults that act on this request at this stage, in injection order. */
  select(target: FaultTarget, stage: FaultStage): SelectedFault[] {
    const selected: SelectedFault[] = [];
    for (const rule of [...this.#rules]) {
      if (stageOf(rule.fault.type, target.transport) !== stage) continue;
      if (rule.take(target, this.#random)) selected.push({ spec: rule.fault, gate: rule.gate });
    }
    return selected;
  }
}
