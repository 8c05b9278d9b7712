// Demo step for mcp-core's configuration side: the registry finds a tool by the flattened
// name an LLM answers with, an MCPSecurity instance is enforced, and printing a client shows
// no credential.
import { McpSecurityError } from '@tframex/mcp-api';
import { MCPClient, MCPSecurity } from '@tframex/mcp-core';

export default {
  name: 'mcp-core-config',
  async run(demo) {
    demo.section('TFrameX parity', 'findTool, an MCPSecurity instance, secrets never printed');
    const tool = await demo.registry.findTool('mock__lookup-sku');
    if (!tool) throw new Error('the registry could not find mock__lookup-sku');
    demo.print(`  findTool('mock__lookup-sku') → ${tool.uri}`);
    const security = new MCPSecurity({ allowedServers: ['127.0.0.1:*'] });
    let refused = false;
    try {
      new MCPClient({ serverUrl: 'https://elsewhere.example.com/mcp', security });
    } catch (error) {
      refused = McpSecurityError.isInstance(error) && error.rule === 'allowed-servers';
    }
    if (!refused) throw new Error('the MCPSecurity instance was not enforced');
    demo.print('  security: new MCPSecurity({ allowedServers }) → elsewhere.example.com refused');
    const client = new MCPClient({
      serverUrl: 'https://127.0.0.1:9/mcp',
      apiKey: 'sk-demo-secret',
    });
    const printed = JSON.stringify(client.settings);
    await client.close();
    if (printed.includes('sk-demo-secret')) throw new Error('a client printed its API key');
    demo.print(`  JSON.stringify(client.settings).auth → ${JSON.parse(printed).auth}`);
  },
};
