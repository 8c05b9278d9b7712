// Service discovery from registry documents, with health checks against real servers.
import { afterEach, describe, expect, it } from 'vitest';
import { MockMCPServer } from '@tframex/mcp-testing';
import { freePort } from '../test-support/everything.js';
import { MCPServiceDiscovery } from './mcp-service-discovery.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('MCPServiceDiscovery', () => {
  it('checks the health of what the registry lists, and builds servers from the ones that can start', async () => {
    const weather = new MockMCPServer({ name: 'weather' });
    weather.addTool('forecast', () => 'sunny');
    const url = await weather.start();
    cleanups.push(() => weather.stop());
    const deadPort = await freePort();
    const discovery = MCPServiceDiscovery.fromRegistry(
      {
        servers: [
          {
            server: {
              name: 'com.example/weather',
              version: '1.0.0',
              remotes: [{ type: 'streamable-http', url }],
            },
          },
          {
            server: {
              name: 'com.example/gone',
              remotes: [{ type: 'streamable-http', url: `http://127.0.0.1:${deadPort}/mcp` }],
            },
          },
          {
            server: {
              name: 'io.github.x/github',
              packages: [
                {
                  registryType: 'npm',
                  identifier: '@x/github-mcp',
                  environmentVariables: [{ name: 'GITHUB_TOKEN', isRequired: true }],
                },
              ],
            },
          },
        ],
      },
      { env: {} },
    );
    expect(discovery.servers.map((s) => s.alias)).toEqual(['weather', 'gone', 'github']);
    const health = await discovery.healthCheck({ timeoutMs: 5_000 });
    expect(health.map((h) => [h.server, h.healthy])).toEqual([
      ['weather', true],
      ['gone', false],
      ['github', false],
    ]);
    expect(health[2]!.missing).toEqual(['GITHUB_TOKEN']);
    expect(health[1]!.error?.kind).toBe('connection');

    const servers = discovery.createServers();
    cleanups.push(() => servers.close());
    expect(servers.serverNames).toEqual(['weather', 'gone']);
    await servers.connect();
    expect((await servers.listTools({ servers: ['weather'] })).map((tool) => tool.name)).toEqual([
      'weather__forecast',
    ]);
  });

  it('takes a static list', async () => {
    const discovery = MCPServiceDiscovery.fromList({
      local: { command: 'node', args: ['server.js'] },
    });
    expect(discovery.toServersConfig()).toEqual({
      local: { command: 'node', args: ['server.js'] },
    });
  });
});
