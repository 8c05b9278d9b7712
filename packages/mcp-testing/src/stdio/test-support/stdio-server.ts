// A mock server served over stdio by tframex-mock-mcp in the stdio tests.
import { fault, MockMCPServer } from '../../index.js';

export default function build(): MockMCPServer {
  const server = new MockMCPServer({ name: 'stdio-mock', version: '3.0.0' });
  server.addTool('echo', ({ text }) => ({ text }));
  server.addTool('pid', () => process.pid);
  server.addTool('grow', ({ name }) => {
    server.addTool(String(name), () => 'grown');
    return 'ok';
  });
  server.addTool('touch', ({ uri }) => {
    server.notifyResourceUpdated(String(uri));
    return 'touched';
  });
  server.addTool('inject', ({ type, tool, bytes }) => {
    const spec =
      type === 'malformed'
        ? fault.malformed()
        : type === 'drop'
          ? fault.dropConnection()
          : fault.oversized(Number(bytes));
    server.faults.inject({ tool: String(tool), fault: spec, times: 1 });
    return 'injected';
  });
  server.addResource('notes', 'remember');
  server.addPrompt('hello', ({ who }) => `Hello ${who}`, {
    arguments: [{ name: 'who', required: true }],
  });
  return server;
}
