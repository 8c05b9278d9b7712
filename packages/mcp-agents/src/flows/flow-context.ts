// What a flow carries from step to step: the current message, every step's output so far, data
// the steps share, and the run's signal.
import type { AgentEvent } from '../agent/agent-result.js';
import type { Runtime } from '../app/runtime.js';

export interface FlowStepRecord {
  /** The agent or pattern that produced this output. */
  readonly step: string;
  readonly content: string;
}

export interface FlowContext {
  readonly runtime: Runtime;
  /** The flow's input. */
  readonly input: string;
  /** The message the next step works on (the last step's output). */
  current: string;
  /** Every agent's output, in order. */
  readonly history: FlowStepRecord[];
  /** Data steps share (set by patterns, or given to `runFlow`). */
  readonly shared: Map<string, unknown>;
  readonly signal: AbortSignal;
  /** How deep in agent-calls-agent the flow's agents run (0 at the top). */
  readonly depth: number;
  /** Sees the events of every agent the flow runs. */
  readonly onEvent?: (event: AgentEvent) => void;
}

/** A step of a flow: an agent by name, or a pattern. */
export interface FlowPattern {
  readonly name: string;
  /** Runs on `context.current` and leaves its result there. */
  execute(context: FlowContext): Promise<void>;
}

export type FlowStep = string | FlowPattern;

/** Runs one step: an agent on the current message, or a pattern. */
export async function runFlowStep(step: FlowStep, context: FlowContext): Promise<void> {
  if (typeof step !== 'string') {
    await step.execute(context);
    return;
  }
  const result = await context.runtime.callAgent(step, context.current, {
    signal: context.signal,
    depth: context.depth,
    ...(context.onEvent ? { onEvent: context.onEvent } : {}),
  });
  context.history.push({ step, content: result.content });
  context.current = result.content;
}

/** A copy of `context` for a branch that runs beside others on `input`. */
export function branchOf(context: FlowContext, input: string): FlowContext {
  return { ...context, current: input };
}

/** The name of a step, for records and errors. */
export function stepName(step: FlowStep): string {
  return typeof step === 'string' ? step : step.name;
}
