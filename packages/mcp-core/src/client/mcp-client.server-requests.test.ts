// MCPClient answering server-to-client requests (elicitation) from MockMCPServer over real
// HTTP on 127.0.0.1: what the server receives is what the handler answered, completed as
// the protocol asks.
import { afterEach, describe, expect, it } from 'vitest';
import { MockMCPServer } from '@tframex/mcp-testing';
import { MCPClient } from './mcp-client.js';
import { testOptions } from '../test-support/test-options.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PROFILE_SCHEMA = {
  type: 'object' as const,
  properties: {
    name: { type: 'string' as const, default: 'John Doe' },
    age: { type: 'integer' as const, default: 30 },
    score: { type: 'number' as const, default: 95.5 },
    status: {
      type: 'string' as const,
      enum: ['active', 'inactive', 'pending'],
      default: 'active',
    },
    verified: { type: 'boolean' as const, default: true },
    nickname: { type: 'string' as const },
  },
  required: [],
};

describe('elicitation (SEP-1034 defaults)', () => {
  it('fills the fields an accepted form leaves out with the schema defaults', async () => {
    const server = new MockMCPServer({ name: 'mock' });
    server.addTool('profile', async (_args, ctx) => {
      const answer = await ctx.elicit({ message: 'Profile?', requestedSchema: PROFILE_SCHEMA });
      return { action: answer.action, content: answer.content };
    });
    const url = await server.start({ era: 'legacy' });
    cleanups.push(() => server.stop());
    const client = new MCPClient(
      testOptions({
        name: 'mock',
        serverUrl: url,
        sseFallback: false,
        // Answers one field itself; the rest is left to the defaults.
        onElicitation: async () => ({ action: 'accept', content: { age: 41 } }),
      }),
    );
    cleanups.push(() => client.close());

    const result = await client.callTool('profile', {});

    expect(result.structuredContent).toEqual({
      action: 'accept',
      content: {
        name: 'John Doe',
        age: 41,
        score: 95.5,
        status: 'active',
        verified: true,
      },
    });
  });

  it('leaves a declined form alone', async () => {
    const server = new MockMCPServer({ name: 'mock' });
    server.addTool('profile', async (_args, ctx) => {
      const answer = await ctx.elicit({ message: 'Profile?', requestedSchema: PROFILE_SCHEMA });
      return { action: answer.action, hasContent: answer.content !== undefined };
    });
    const url = await server.start({ era: 'legacy' });
    cleanups.push(() => server.stop());
    const client = new MCPClient(
      testOptions({
        name: 'mock',
        serverUrl: url,
        sseFallback: false,
        onElicitation: async () => ({ action: 'decline' }),
      }),
    );
    cleanups.push(() => client.close());

    const result = await client.callTool('profile', {});

    expect(result.structuredContent).toEqual({ action: 'decline', hasContent: false });
  });
});
