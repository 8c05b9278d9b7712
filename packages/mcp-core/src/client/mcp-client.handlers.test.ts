// Server-initiated requests answered by the handlers given to MCPClient: push-style in the
// legacy era, and the modern era's input_required rounds, against MockMCPServer.
import { acceptedContent, inputRequired } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { MockMCPServer } from '@tframex/mcp-testing';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('MCPClient handlers for server requests', () => {
  it('answers elicitation and sampling pushed by a 2025-era server', async () => {
    const server = new MockMCPServer({ name: 'asks' });
    server.addTool('deploy', async ({ env }, context) => {
      const answer = await context.elicit({
        mode: 'form',
        message: `Deploy to ${String(env)}?`,
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean' } },
          required: ['confirm'],
        },
      });
      return answer.action === 'accept' && answer.content?.confirm === true
        ? `deployed to ${String(env)}`
        : 'cancelled';
    });
    server.addTool('summarise', async ({ text }, context) => {
      const sample = await context.sample({
        messages: [{ role: 'user', content: { type: 'text', text: `Summarise: ${String(text)}` } }],
        maxTokens: 50,
      });
      return sample.content && 'text' in sample.content ? sample.content.text : 'no text';
    });
    const url = await server.start({ era: 'legacy' });
    cleanups.push(() => server.stop());
    const asked: string[] = [];
    const client = new MCPClient(
      testOptions({
        serverUrl: url,
        onElicitation: async (params) => {
          asked.push(String(params.message));
          return { action: 'accept', content: { confirm: true } };
        },
        onSampling: async (params) => {
          const messages = params.messages as { content: { text: string } }[];
          return {
            role: 'assistant',
            model: 'test-model',
            content: { type: 'text', text: `short: ${messages[0]!.content.text.length}` },
          };
        },
      }),
    );
    cleanups.push(() => client.close());
    expect((await client.callTool('deploy', { env: 'prod' })).content).toEqual([
      { type: 'text', text: 'deployed to prod' },
    ]);
    expect(asked).toEqual(['Deploy to prod?']);
    expect((await client.callTool('summarise', { text: 'abc' })).content).toEqual([
      { type: 'text', text: 'short: 14' },
    ]);
  });

  it('fulfils input_required rounds of a 2026-era server and retries the call', async () => {
    const server = new MockMCPServer({ name: 'asks' });
    const confirmation = z.object({ confirm: z.boolean() });
    let rounds = 0;
    server.addTool(
      'deploy',
      ({ env }, context) => {
        rounds++;
        const confirmed = acceptedContent(
          context.sdk.mcpReq.inputResponses,
          'confirm',
          confirmation,
        );
        if (confirmed?.confirm !== true) {
          return inputRequired({
            inputRequests: {
              confirm: inputRequired.elicit({
                message: `Deploy to ${String(env)}?`,
                requestedSchema: confirmation,
              }),
            },
          });
        }
        return `deployed to ${String(env)}`;
      },
      { inputSchema: z.object({ env: z.string() }) },
    );
    const url = await server.start({ era: 'modern' });
    cleanups.push(() => server.stop());
    const client = new MCPClient(
      testOptions({
        serverUrl: url,
        onElicitation: async () => ({ action: 'accept', content: { confirm: true } }),
      }),
    );
    cleanups.push(() => client.close());
    const result = await client.callTool('deploy', { env: 'staging' });
    expect(client.protocolEra).toBe('modern');
    expect(result.content).toEqual([{ type: 'text', text: 'deployed to staging' }]);
    expect(rounds).toBe(2);
  });
});
