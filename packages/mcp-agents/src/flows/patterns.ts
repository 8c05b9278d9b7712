// TFrameX's flow patterns: sequential, parallel, router and discussion. Each takes agent names
// (or other patterns) and leaves its result in `context.current`.
import { McpConfigError } from '@tframex/mcp-api';
import { usageError } from '../options/parse-options.js';
import {
  branchOf,
  runFlowStep,
  stepName,
  type FlowContext,
  type FlowPattern,
  type FlowStep,
} from './flow-context.js';

/** Runs its steps one after another, each on the previous one's output. */
export class SequentialPattern implements FlowPattern {
  constructor(
    readonly name: string,
    readonly steps: FlowStep[],
  ) {}

  async execute(context: FlowContext): Promise<void> {
    for (const step of this.steps) await runFlowStep(step, context);
  }
}

/**
 * Runs its tasks at once on the same input; the result lists every task's output (a task that
 * fails shows its error, and the others still count).
 */
export class ParallelPattern implements FlowPattern {
  constructor(
    readonly name: string,
    readonly tasks: FlowStep[],
  ) {}

  async execute(context: FlowContext): Promise<void> {
    const input = context.current;
    const outputs = await Promise.all(
      this.tasks.map(async (task) => {
        const branch = branchOf(context, input);
        try {
          await runFlowStep(task, branch);
          return { task: stepName(task), content: branch.current, ok: true };
        } catch (error) {
          if (context.signal.aborted) throw error;
          const message = error instanceof Error ? error.message : String(error);
          return { task: stepName(task), content: `Error: ${message}`, ok: false };
        }
      }),
    );
    context.shared.set(this.name, outputs);
    context.current = outputs.map((output) => `[${output.task}]: ${output.content}`).join('\n\n');
  }
}

export interface RouterPatternOptions {
  /** The agent whose answer names the route. */
  router: string;
  /** Route key → step. A key matches when the router's answer is it (case, spaces and quotes aside) or contains it as a word. */
  routes: Record<string, FlowStep>;
  /** Taken when no route matches; without it, no match is an McpConfigError listing the routes. */
  defaultRoute?: FlowStep;
}

/** Asks a router agent which route to take, then runs that route on the original message. */
export class RouterPattern implements FlowPattern {
  readonly #options: RouterPatternOptions;

  constructor(
    readonly name: string,
    options: RouterPatternOptions,
  ) {
    if (Object.keys(options?.routes ?? {}).length === 0) {
      throw usageError(
        `RouterPattern.${name}.routes`,
        'at least one route',
        'A RouterPattern needs routes',
      );
    }
    this.#options = options;
  }

  async execute(context: FlowContext): Promise<void> {
    const input = context.current;
    const decision = branchOf(context, input);
    await runFlowStep(this.#options.router, decision);
    const answer = decision.current
      .trim()
      .replace(/^["'`]+|["'`.]+$/g, '')
      .toLowerCase();
    const keys = Object.keys(this.#options.routes);
    const key =
      keys.find((candidate) => candidate.toLowerCase() === answer) ??
      keys.find((candidate) =>
        new RegExp(`\\b${candidate.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(
          answer,
        ),
      );
    const step = key !== undefined ? this.#options.routes[key] : this.#options.defaultRoute;
    if (step === undefined) {
      throw new McpConfigError(
        `The router "${this.#options.router}" answered "${decision.current.slice(0, 80)}", which names no route of "${this.name}" (${keys.join(', ')}) and there is no default route`,
        { field: `${this.name}.routes`, expected: keys.join(', '), received: decision.current },
      );
    }
    context.shared.set(`${this.name}.route`, key ?? 'default');
    context.current = input;
    await runFlowStep(step, context);
  }
}

export interface DiscussionPatternOptions {
  participants: string[];
  /** Rounds in which every participant speaks once (default 1). */
  rounds?: number;
  /** Summarises after each round; its last summary is the result. */
  moderator?: string;
  /** A participant or the moderator saying this ends the discussion. */
  stopPhrase?: string;
}

/** Participants take turns on a topic, each seeing the discussion so far. */
export class DiscussionPattern implements FlowPattern {
  readonly #options: DiscussionPatternOptions;

  constructor(
    readonly name: string,
    options: DiscussionPatternOptions,
  ) {
    if ((options?.participants ?? []).length === 0) {
      throw usageError(
        `DiscussionPattern.${name}.participants`,
        'at least one agent name',
        'A DiscussionPattern needs participants',
      );
    }
    this.#options = options;
  }

  async execute(context: FlowContext): Promise<void> {
    const topic = context.current;
    const transcript: string[] = [];
    const { participants, moderator, stopPhrase } = this.#options;
    const rounds = this.#options.rounds ?? 1;
    let last = topic;
    const stops = (text: string) =>
      stopPhrase !== undefined && text.toLowerCase().includes(stopPhrase.toLowerCase());
    for (let round = 1; round <= rounds; round++) {
      for (const participant of participants) {
        const prompt =
          `Topic: ${topic}\n\n` +
          (transcript.length ? `Discussion so far:\n${transcript.join('\n')}\n\n` : '') +
          `You are ${participant}. Give your contribution for round ${round}.`;
        const turn = branchOf(context, prompt);
        await runFlowStep(participant, turn);
        transcript.push(`${participant}: ${turn.current}`);
        last = turn.current;
        if (stops(turn.current)) return this.#finish(context, transcript, last);
      }
      if (moderator) {
        const turn = branchOf(
          context,
          `Topic: ${topic}\n\nDiscussion so far:\n${transcript.join('\n')}\n\nSummarise round ${round}.`,
        );
        await runFlowStep(moderator, turn);
        transcript.push(`${moderator} (moderator): ${turn.current}`);
        last = turn.current;
        if (stops(turn.current)) break;
      }
    }
    this.#finish(context, transcript, last);
  }

  #finish(context: FlowContext, transcript: string[], last: string): void {
    context.shared.set(`${this.name}.transcript`, transcript);
    context.current = last;
  }
}
