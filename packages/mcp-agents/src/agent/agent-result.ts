// What one agent run produces, and the events a streamed run yields along the way.
import type { CallToolResult } from '@tframex/mcp-api';
import type { ChatMessage, ChatResponse, ChatUsage } from '../model/chat-model.js';

/**
 * How a tool call ended. `ok` and `tool-error` ran the tool; the others did not run it or cut
 * it off, and the model was told why.
 */
export type ToolCallOutcome =
  | 'ok'
  | 'tool-error'
  | 'unknown-tool'
  | 'invalid-arguments'
  | 'denied'
  | 'timeout'
  | 'failed'
  | 'iteration-limit';

export interface ToolCallRecord {
  /** The call id the model gave. */
  readonly id: string;
  /** The name the model called. */
  readonly name: string;
  /** `mcp://server/tool`, for tools on an MCP server. */
  readonly uri?: string;
  /** The arguments the tool ran with (parsed), or the raw text when they did not parse. */
  readonly arguments: Record<string, unknown> | string;
  readonly outcome: ToolCallOutcome;
  readonly result: CallToolResult;
  readonly durationMs: number;
}

/**
 * `completed`: the model answered without calling tools. `max-tool-iterations`: it kept
 * calling tools past the agent's limit. `length` / `content-filter`: the model stopped there.
 */
export type AgentStopReason = 'completed' | 'max-tool-iterations' | 'length' | 'content-filter';

export interface AgentResult {
  readonly agent: string;
  /** The final answer (think tags stripped when the agent says so). */
  readonly content: string;
  readonly stopReason: AgentStopReason;
  /** Model calls made. */
  readonly modelCalls: number;
  readonly toolCalls: readonly ToolCallRecord[];
  readonly usage: ChatUsage;
  /** The messages this run added to the conversation (user input first). */
  readonly messages: readonly ChatMessage[];
}

export type AgentEvent =
  | { readonly type: 'text-delta'; readonly agent: string; readonly text: string }
  | {
      readonly type: 'model-response';
      readonly agent: string;
      readonly modelCall: number;
      readonly response: ChatResponse;
    }
  | {
      readonly type: 'tool-call';
      readonly agent: string;
      readonly id: string;
      readonly name: string;
      readonly uri?: string;
      readonly arguments: string;
    }
  | { readonly type: 'tool-result'; readonly agent: string; readonly record: ToolCallRecord }
  | {
      readonly type: 'tool-unavailable';
      readonly agent: string;
      readonly spec: string;
      readonly error: Error;
    }
  | { readonly type: 'done'; readonly result: AgentResult };
