// Flow: a named sequence of steps (agents by name, or patterns) run in a Runtime; each step
// works on the previous one's output. `runtime.runFlow(flow, input)` runs it.
import { McpCancelledError } from '@tframex/mcp-api';
import type { AgentEvent } from '../agent/agent-result.js';
import { usageError } from '../options/parse-options.js';
import type { Runtime } from '../app/runtime.js';
import {
  runFlowStep,
  type FlowContext,
  type FlowStep,
  type FlowStepRecord,
} from './flow-context.js';

export interface FlowOptions {
  name: string;
  description?: string;
  steps?: FlowStep[];
}

export interface FlowRunOptions {
  signal?: AbortSignal;
  /** Sees the events of every agent the flow runs (text deltas, tool calls, results). */
  onEvent?: (event: AgentEvent) => void;
  /** Initial shared data. */
  shared?: Record<string, unknown>;
}

export interface FlowResult {
  readonly flow: string;
  /** The last step's output. */
  readonly content: string;
  readonly history: readonly FlowStepRecord[];
  readonly shared: ReadonlyMap<string, unknown>;
}

export class Flow {
  readonly name: string;
  readonly description: string;
  readonly steps: FlowStep[];

  constructor(options: FlowOptions) {
    if (typeof options?.name !== 'string' || options.name === '') {
      throw usageError('Flow.name', 'a non-empty name', 'A Flow needs a name');
    }
    this.name = options.name;
    this.description = options.description ?? '';
    this.steps = [...(options.steps ?? [])];
  }

  addStep(step: FlowStep): this {
    this.steps.push(step);
    return this;
  }

  async run(runtime: Runtime, input: string, options: FlowRunOptions = {}): Promise<FlowResult> {
    const context: FlowContext = {
      runtime,
      input,
      current: input,
      history: [],
      shared: new Map(Object.entries(options.shared ?? {})),
      signal: runtime.signalFor(options.signal),
      depth: 0,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    };
    for (const step of this.steps) {
      if (context.signal.aborted) {
        throw new McpCancelledError(`The flow "${this.name}" was cancelled`, {
          reason: context.signal.reason,
        });
      }
      await runFlowStep(step, context);
    }
    return {
      flow: this.name,
      content: context.current,
      history: context.history,
      shared: context.shared,
    };
  }
}
