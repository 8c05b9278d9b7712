// Another agent offered to the model as a tool (TFrameX's `callable_agents`, which 1.x left
// broken): the model passes an input message, the runtime runs that agent and the answer comes
// back as the tool result. Depth is bounded so agents that call each other cannot loop forever.
import type { CallToolResult, McpTool } from '@tframex/mcp-api';
import type { Runtime } from '../app/runtime.js';
import type { Agent } from './agent.js';
import type { AgentEvent } from './agent-result.js';

/**
 * `onEvent` sees the called agent's events as they happen (tagged with its name), all but its
 * `done`: its result reaches the caller as the tool result.
 */
export function callableAgentTool(
  agent: Agent,
  runtime: Runtime,
  depth: number,
  onEvent?: (event: AgentEvent) => void,
): McpTool {
  return {
    name: agent.name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'agent',
    description: `Ask the agent "${agent.name}": ${agent.description}`,
    inputSchema: {
      type: 'object',
      properties: {
        input_message: { type: 'string', description: `What to ask ${agent.name}` },
      },
      required: ['input_message'],
    },
    async invoke(args, context = {}): Promise<CallToolResult> {
      if (depth + 1 > runtime.maxAgentDepth) {
        return {
          content: [
            {
              type: 'text',
              text: `Not run: agents may call agents at most ${runtime.maxAgentDepth} levels deep.`,
            },
          ],
          isError: true,
        };
      }
      try {
        const result = await runtime.callAgent(agent.name, String(args['input_message'] ?? ''), {
          ...(context.signal ? { signal: context.signal } : {}),
          ...(onEvent
            ? {
                onEvent: (event: AgentEvent) => {
                  if (event.type !== 'done') onEvent(event);
                },
              }
            : {}),
          depth: depth + 1,
        });
        return { content: [{ type: 'text', text: result.content }] };
      } catch (error) {
        if (context.signal?.aborted) throw error;
        const message = error instanceof Error ? error.message : String(error);
        return { content: [{ type: 'text', text: `The agent failed: ${message}` }], isError: true };
      }
    },
  };
}
