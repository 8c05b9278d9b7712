// Runs the tool calls of one model turn: in parallel up to a bound, each checked (known tool,
// arguments valid, approved) before it runs and cut off by its timeout. Every outcome becomes a
// result the model can read; only cancelling the whole run rejects.
import {
  McpCancelledError,
  McpError,
  type CallToolResult,
  type McpServerRequestHandlers,
  type McpTool,
} from '@tframex/mcp-api';
import type { ChatToolCall } from '../model/chat-model.js';
import type { ArgumentValidator } from '../tools/argument-validator.js';
import type { AgentEvent, ToolCallOutcome, ToolCallRecord } from './agent-result.js';
import { approvalReason, type ToolApprovalHook } from './tool-approval.js';

export interface ToolExecution {
  readonly agent: string;
  /** Model-facing name → tool. */
  readonly tools: ReadonlyMap<string, McpTool>;
  readonly validator: ArgumentValidator;
  readonly maxParallel: number;
  readonly timeoutMs: number;
  readonly requireApproval: readonly string[];
  readonly approve: ToolApprovalHook | undefined;
  /** Answers server requests (sampling, elicitation) caused by these calls. */
  readonly serverRequestHandlers?: McpServerRequestHandlers;
  /** Notes a call in flight on its server; returns the function that ends it. */
  readonly track?: (tool: McpTool) => () => void;
  readonly signal: AbortSignal;
  readonly emit: (event: AgentEvent) => void;
}

const errorResult = (text: string): CallToolResult => ({
  content: [{ type: 'text', text }],
  isError: true,
});

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `calls`; the records come back in the order of the calls. */
export async function executeToolCalls(
  calls: readonly ChatToolCall[],
  execution: ToolExecution,
): Promise<ToolCallRecord[]> {
  const records: ToolCallRecord[] = new Array<ToolCallRecord>(calls.length);
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const index = next++;
      records[index] = await executeOne(calls[index]!, execution);
      execution.emit({ type: 'tool-result', agent: execution.agent, record: records[index] });
    }
  };
  const workers = Math.max(1, Math.min(execution.maxParallel, calls.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return records;
}

async function executeOne(call: ChatToolCall, execution: ToolExecution): Promise<ToolCallRecord> {
  const started = performance.now();
  const tool = execution.tools.get(call.name);
  execution.emit({
    type: 'tool-call',
    agent: execution.agent,
    id: call.id,
    name: call.name,
    ...(tool?.uri ? { uri: tool.uri } : {}),
    arguments: call.arguments,
  });
  const record = (
    outcome: ToolCallOutcome,
    result: CallToolResult,
    args: Record<string, unknown> | string,
  ): ToolCallRecord => ({
    id: call.id,
    name: call.name,
    ...(tool?.uri ? { uri: tool.uri } : {}),
    arguments: args,
    outcome,
    result,
    durationMs: performance.now() - started,
  });
  if (!tool) {
    const names = [...execution.tools.keys()];
    return record(
      'unknown-tool',
      errorResult(
        `There is no tool named "${call.name.slice(0, 100)}". Available tools: ${names.slice(0, 30).join(', ') || 'none'}${names.length > 30 ? `, and ${names.length - 30} more` : ''}.`,
      ),
      call.arguments,
    );
  }
  const checked = execution.validator.check(tool.inputSchema, call.arguments);
  if (!checked.ok) return record('invalid-arguments', errorResult(checked.message), call.arguments);
  const args = checked.args;

  const reason = approvalReason(tool, call.name, execution.requireApproval);
  if (reason) {
    let approved = false;
    let why = 'no approval hook is installed';
    if (execution.approve) {
      try {
        approved = await execution.approve({
          agent: execution.agent,
          name: call.name,
          tool,
          ...(tool.uri ? { uri: tool.uri } : {}),
          arguments: args,
          reason,
        });
        why = 'the approver declined';
      } catch (error) {
        why = `the approver failed: ${message(error)}`;
      }
    }
    if (!approved) {
      return record(
        'denied',
        errorResult(`The call to "${call.name}" needs approval and was not run: ${why}.`),
        args,
      );
    }
  }

  return invokeWithTimeout(tool, call, args, execution, record);
}

async function invokeWithTimeout(
  tool: McpTool,
  call: ChatToolCall,
  args: Record<string, unknown>,
  execution: ToolExecution,
  record: (
    outcome: ToolCallOutcome,
    result: CallToolResult,
    args: Record<string, unknown>,
  ) => ToolCallRecord,
): Promise<ToolCallRecord> {
  const { signal, timeoutMs } = execution;
  if (signal.aborted) throw cancelled(signal);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => undefined as void;
  // One listener on the run's signal per call, removed when the call settles.
  const aborted = new Promise<'cancelled'>((resolve) => {
    onAbort = () => {
      controller.abort(signal.reason);
      resolve('cancelled');
    };
  });
  signal.addEventListener('abort', onAbort, { once: true });
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      resolve('timeout');
    }, timeoutMs);
  });
  const untrack = execution.track?.(tool);
  const invocation = tool
    .invoke(args, {
      signal: controller.signal,
      timeoutMs,
      ...(execution.serverRequestHandlers
        ? { serverRequestHandlers: execution.serverRequestHandlers }
        : {}),
    })
    .then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    )
    .finally(() => untrack?.());
  try {
    const settled = await Promise.race([invocation, timedOut, aborted]);
    if (settled === 'cancelled') throw cancelled(signal);
    if (settled === 'timeout') {
      return record(
        'timeout',
        errorResult(`The tool "${call.name}" did not answer within ${timeoutMs} ms.`),
        args,
      );
    }
    if ('error' in settled) {
      if (signal.aborted) throw cancelled(signal);
      const error = settled.error;
      if (McpError.isInstance(error) && error.kind === 'timeout') {
        // The session's own budget (the same timeoutMs) ran out first: the same outcome.
        return record(
          'timeout',
          errorResult(`The tool "${call.name}" did not answer within ${timeoutMs} ms.`),
          args,
        );
      }
      return record(
        'failed',
        errorResult(`The tool "${call.name}" failed: ${message(error)}`),
        args,
      );
    }
    const result = settled.result;
    return record(result.isError ? 'tool-error' : 'ok', result, args);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

export function cancelled(signal: AbortSignal): McpCancelledError {
  return new McpCancelledError('The agent run was cancelled', { reason: signal.reason });
}
