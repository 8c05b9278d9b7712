import { describe, expect, it } from 'vitest';
import { McpConfigError } from '@tframex/mcp-api';
import { serversFromServerJson } from './server-json.js';

const filesystem = {
  $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  name: 'io.github.modelcontextprotocol/filesystem',
  description: 'Filesystem operations',
  version: '2026.8.31',
  packages: [
    {
      registryType: 'npm',
      identifier: '@modelcontextprotocol/server-filesystem',
      version: '2026.8.31',
      transport: { type: 'stdio' },
      packageArguments: [
        { type: 'positional', valueHint: 'target_dir', isRequired: true, default: '/tmp' },
      ],
      environmentVariables: [
        { name: 'LOG_LEVEL', default: 'info' },
        { name: 'FS_TOKEN', isRequired: true, isSecret: true },
      ],
    },
  ],
};

const analytics = {
  name: 'com.example/acme-analytics',
  version: '2.0.0',
  remotes: [
    {
      type: 'streamable-http',
      url: 'https://analytics.example.com/mcp',
      headers: [{ name: 'X-API-Key', isRequired: true, isSecret: true }],
    },
    { type: 'sse', url: 'https://analytics.example.com/sse' },
  ],
  packages: [{ registryType: 'npm', identifier: '@acme/analytics-mcp', version: '2.0.0' }],
};

describe('serversFromServerJson', () => {
  it('runs an npm package with npx, its arguments and environment, and names what is missing', () => {
    const [server] = serversFromServerJson(filesystem, { env: {} });
    expect(server).toEqual({
      alias: 'filesystem',
      name: 'io.github.modelcontextprotocol/filesystem',
      description: 'Filesystem operations',
      version: '2026.8.31',
      via: 'npm',
      options: {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem@2026.8.31', '/tmp'],
        env: { LOG_LEVEL: 'info' },
      },
      missing: ['FS_TOKEN'],
    });
  });

  it('prefers a remote endpoint and fills secret headers from the environment', () => {
    const [server] = serversFromServerJson(analytics, { env: { 'X-API-Key': 'k-1' } });
    expect(server?.via).toBe('remote');
    expect(server?.options).toEqual({
      serverUrl: 'https://analytics.example.com/mcp',
      transportType: 'streamable-http',
      headers: { 'X-API-Key': 'k-1' },
    });
    expect(server?.missing).toEqual([]);
    const [local] = serversFromServerJson(analytics, { env: {}, preferRemote: false });
    expect(local?.options).toEqual({ command: 'npx', args: ['-y', '@acme/analytics-mcp@2.0.0'] });
  });

  it('reads registry API pages and the early snake_case schema, and keeps aliases unique', () => {
    const page = {
      servers: [
        {
          server: filesystem,
          _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active' } },
        },
        {
          server: {
            name: 'io.other/filesystem',
            version_detail: { version: '1.0.0' },
            remotes: [{ transport_type: 'sse', url: 'http://127.0.0.1:9/sse' }],
          },
        },
      ],
      metadata: { count: 2 },
    };
    const servers = serversFromServerJson(page, { env: { FS_TOKEN: 't' } });
    expect(servers.map((s) => s.alias)).toEqual(['filesystem', 'filesystem-2']);
    expect(servers[1]?.options).toEqual({
      serverUrl: 'http://127.0.0.1:9/sse',
      transportType: 'sse',
    });
    expect(servers[1]?.version).toBe('1.0.0');
    expect(servers[0]?.options.env).toEqual({ LOG_LEVEL: 'info', FS_TOKEN: 't' });
  });

  it('maps PyPI and OCI packages to uvx and docker', () => {
    const servers = serversFromServerJson(
      [
        {
          name: 'io.x/weather',
          packages: [{ registryType: 'pypi', identifier: 'weather-mcp', version: '0.5.0' }],
        },
        {
          name: 'io.x/db',
          packages: [
            {
              registryType: 'oci',
              identifier: 'example/db-mcp',
              version: '3.1.0',
              environmentVariables: [{ name: 'DB', default: 'pg' }],
            },
          ],
        },
      ],
      { env: {} },
    );
    expect(servers.map((s) => s.options.command)).toEqual(['uvx', 'docker']);
    expect(servers[1]?.options.args).toEqual([
      'run',
      '-i',
      '--rm',
      '-e',
      'DB',
      'example/db-mcp:3.1.0',
    ]);
  });

  it('says clearly when nothing can be used', () => {
    expect(() => serversFromServerJson({ hello: 'world' })).toThrow(McpConfigError);
    expect(() =>
      serversFromServerJson({
        name: 'io.x/y',
        packages: [{ registryType: 'mcpb', identifier: 'x' }],
      }),
    ).toThrow(/npm, PyPI or OCI/);
  });
});
