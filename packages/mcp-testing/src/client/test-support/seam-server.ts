// The server the McpSession seam tests talk to: in process (HTTP, memory) and, as this
// module's default export, over stdio through tframex-mock-mcp.
import { fault, MockMCPServer } from '../../index.js';

export const SEAM_TOOLS = ['echo', 'ask', 'roots', 'touch', 'inject', 'pid', 't-1', 't-2', 't-3'];

export function buildSeamServer(): MockMCPServer {
  const server = new MockMCPServer({ name: 'seams', pageSize: 4 });
  server.addTool('echo', ({ text }) => ({ text }));
  server.addTool('ask', async ({ text }, ctx) => {
    const answer = await ctx.ask('sampling/createMessage', {
      messages: [{ role: 'user', content: { type: 'text', text: String(text) } }],
      maxTokens: 16,
    });
    return (answer['content'] as { text: string }).text;
  });
  server.addTool('roots', async (_args, ctx) => (await ctx.ask('roots/list'))['roots']);
  server.addTool('touch', ({ uri }) => {
    server.notifyResourceUpdated(String(uri));
    return 'touched';
  });
  server.addTool('inject', ({ type, tool }) => {
    server.faults.inject({
      tool: String(tool),
      fault: type === 'drop' ? fault.dropConnection() : fault.stall(),
      times: 1,
    });
    return 'injected';
  });
  server.addTool('pid', () => process.pid);
  for (const n of [1, 2, 3]) server.addTool(`t-${n}`, () => n);
  server.addResource('notes', 'remember');
  return server;
}

export default buildSeamServer;
