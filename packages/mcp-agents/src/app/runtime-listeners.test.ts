import { getEventListeners } from 'node:events';
import { defineMcpTool } from '@tframex/mcp-api';
import { describe, expect, it } from 'vitest';
import { LLMAgent } from '../agent/llm-agent.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';
import { TFrameXApp } from './tframex-app.js';

describe('a long-lived runtime', () => {
  it('keeps no abort listeners behind after runs, tool calls and streams', async () => {
    const llm = new ScriptedChatModel({
      respond: (request) =>
        request.messages.at(-1)?.role === 'tool'
          ? { text: 'done' }
          : ScriptedChatModel.toolCall('echo', { text: 'x' }),
    });
    const app = new TFrameXApp({ llm });
    app.registerTool(defineMcpTool({ name: 'echo', description: 'echo', run: ({ text }) => text }));
    app.registerAgent(new LLMAgent({ name: 'A', tools: ['echo'] }));
    await using rt = await app.runContext();
    const outer = new AbortController();
    const before = getEventListeners(rt.signal, 'abort').length;
    for (let i = 0; i < 50; i++) {
      await rt.callAgent('A', 'go');
      await rt.callAgent('A', 'go', { signal: outer.signal });
      for await (const _event of rt.callAgentStream('A', 'go')) {
        // drain
      }
    }
    expect(getEventListeners(rt.signal, 'abort').length).toBe(before);
    expect(getEventListeners(outer.signal, 'abort').length).toBeLessThanOrEqual(1);
  });
});
