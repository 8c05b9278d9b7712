// TFrameX's REST resource: GET /current?city=London on an API described by OpenAPI, through
// @ivotoby/openapi-mcp-server (one MCP tool per operation) in front of json-server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MCPTestClient } from '@tframex/mcp-testing';
import { MCPResource } from '../src/index.js';
import { startJsonServer } from '../src/test-support/json-server.js';
import { npmServer } from '../src/test-support/servers.js';

const OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'weather', version: '1.0.0' },
  paths: {
    '/current': {
      get: {
        operationId: 'getCurrent',
        parameters: [{ name: 'city', in: 'query', schema: { type: 'string' } }],
        responses: { 200: { description: 'current weather' } },
      },
    },
  },
};

export async function main(): Promise<unknown> {
  const backend = await startJsonServer({
    current: [
      { id: 1, city: 'London', temp: 12, condition: 'rain' },
      { id: 2, city: 'Madrid', temp: 24, condition: 'sun' },
    ],
  });
  const spec = join(backend.dir, 'openapi.json');
  writeFileSync(spec, JSON.stringify(OPENAPI));
  const mcpClient = new MCPTestClient(
    npmServer('@ivotoby/openapi-mcp-server/bin/mcp-server.js', [
      '--transport',
      'stdio',
      '--api-base-url',
      backend.url,
      '--openapi-spec',
      spec,
    ]),
    { name: 'api' },
  );
  try {
    const api = new MCPResource({ client: mcpClient, uri: 'mcp://api/weather', type: 'rest' });
    const weather = await api.get('/current', { params: { city: 'London' } });
    const [london] = weather as Array<{ city: string; temp: number }>;
    if (london?.city !== 'London' || (weather as unknown[]).length !== 1) {
      throw new Error(`expected London's weather, got ${JSON.stringify(weather)}`);
    }
    return weather;
  } finally {
    await mcpClient.close();
    await backend.stop();
  }
}
