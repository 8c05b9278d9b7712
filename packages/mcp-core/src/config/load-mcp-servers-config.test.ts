import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConfigError } from '@tframex/mcp-api';
import { loadMcpServersConfig, parseMcpServersConfig } from './load-mcp-servers-config.js';
import { parseMCPConfig } from './parse-mcp-config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-servers-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

function problemFields(error: unknown): string[] {
  if (!McpConfigError.isInstance(error)) throw error;
  return error.cause instanceof AggregateError
    ? error.cause.errors.map((each: McpConfigError) => each.field as string)
    : [error.field as string];
}

const env = { GITHUB_TOKEN: 'ghp_x', HOME: '/home/ann', API_KEY: 'k-1' };

describe('loadMcpServersConfig', () => {
  it('loads a Claude Desktop file unchanged, skipping disabled servers and ignoring extras', async () => {
    const path = await file(
      'claude_desktop_config.json',
      JSON.stringify({
        mcpServers: {
          filesystem: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-filesystem', '${HOME}/Documents'],
            alwaysAllow: ['read_file'],
            autoApprove: [],
          },
          github: {
            command: 'docker',
            args: [
              'run',
              '-i',
              '--rm',
              '-e',
              'GITHUB_PERSONAL_ACCESS_TOKEN',
              'ghcr.io/github/github-mcp-server',
            ],
            env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN}' },
            timeout: 60,
          },
          old: { command: 'legacy-server', disabled: true },
        },
        globalShortcut: 'Ctrl+Space',
      }),
    );
    const servers = await loadMcpServersConfig(path, { env });
    expect(servers).toEqual({
      filesystem: {
        name: 'filesystem',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/ann/Documents'],
      },
      github: {
        name: 'github',
        command: 'docker',
        args: [
          'run',
          '-i',
          '--rm',
          '-e',
          'GITHUB_PERSONAL_ACCESS_TOKEN',
          'ghcr.io/github/github-mcp-server',
        ],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x' },
      },
    });
    for (const options of Object.values(servers))
      expect(parseMCPConfig(options).transportType).toBe('stdio');
  });

  it('loads Cursor (url + headers) and Cline (transportType) entries', async () => {
    const servers = await loadMcpServersConfig(
      {
        mcpServers: {
          remote: {
            url: 'https://mcp.example.com/mcp',
            headers: { Authorization: 'Bearer ${API_KEY}' },
          },
          events: { url: 'https://mcp.example.com/sse', transportType: 'sse', disabled: false },
          stream: { url: 'https://mcp.example.com/mcp', transportType: 'streamableHttp' },
        },
      },
      { env },
    );
    expect(servers.remote).toEqual({
      name: 'remote',
      serverUrl: 'https://mcp.example.com/mcp',
      headers: { Authorization: 'Bearer k-1' },
    });
    expect(servers.events).toMatchObject({
      serverUrl: 'https://mcp.example.com/sse',
      transportType: 'sse',
    });
    expect(parseMCPConfig(servers.stream).sseFallback).toBe(true);
  });

  it('loads VS Code mcp.json: servers, type, inputs and comments', async () => {
    const path = await file(
      'mcp.json',
      `{
        // VS Code workspace servers
        "inputs": [{ "type": "promptString", "id": "api-key", "password": true }],
        "servers": {
          "http-server": { "type": "http", "url": "https://api.example.com/mcp", "headers": { "X-Key": "\${input:api-key}" } },
          "sse-server": { "type": "sse", "url": "http://127.0.0.1:3001/sse" },
          "local": { "type": "stdio", "command": "node", "args": ["\${workspaceFolder}/server.js"], "envFile": "\${workspaceFolder}/.env" },
        },
      }`,
    );
    const servers = await loadMcpServersConfig(path, {
      env: {},
      variables: { 'input:api-key': 'secret', workspaceFolder: '/ws' },
    });
    expect(servers['http-server']).toEqual({
      name: 'http-server',
      serverUrl: 'https://api.example.com/mcp',
      headers: { 'X-Key': 'secret' },
    });
    expect(servers['sse-server']).toEqual({
      name: 'sse-server',
      serverUrl: 'http://127.0.0.1:3001/sse',
      transportType: 'sse',
    });
    expect(servers.local).toEqual({ name: 'local', command: 'node', args: ['/ws/server.js'] });
  });

  it("loads TFrameX's servers_config.json, MCPConfig options included", async () => {
    const servers = await loadMcpServersConfig(
      {
        mcpServers: {
          math_http_service: {
            type: 'streamable-http',
            url: 'http://localhost:8000/mcp/',
            timeoutMs: 5_000,
          },
          local_stdio: {
            type: 'stdio',
            command: 'python',
            args: ['server.py'],
            env: { MODE: '${MODE:-dev}' },
          },
        },
      },
      { env: {} },
    );
    expect(servers.math_http_service).toEqual({
      name: 'math_http_service',
      serverUrl: 'http://localhost:8000/mcp/',
      timeoutMs: 5_000,
    });
    expect(servers.local_stdio?.env).toEqual({ MODE: 'dev' });
  });

  it('names the server and the variable when one is missing, and honours $$', async () => {
    const error = await loadMcpServersConfig(
      {
        mcpServers: {
          github: { command: 'gh-mcp', env: { TOKEN: '${GITHUB_TOKEN}', PRICE: '$$5' } },
        },
      },
      { env: {} },
    ).catch((caught: unknown) => caught);
    expect(problemFields(error)).toEqual(['mcpServers.github.env.TOKEN']);
    expect((error as Error).message).toMatch(
      /environment variable GITHUB_TOKEN to be set.*\$\{GITHUB_TOKEN:-value\}/,
    );
    const priced = await loadMcpServersConfig(
      { mcpServers: { p: { command: 'x', env: { PRICE: '$$5' } } } },
      { env: {} },
    );
    expect(priced.p?.env).toEqual({ PRICE: '$5' });
  });

  it('reports every problem of every server at once', async () => {
    const error = await loadMcpServersConfig(
      {
        mcpServers: {
          'bad alias!': { command: 'x' },
          nothing: {},
          weird: { type: 'websocket', url: 'ws://x' },
          typo: { command: 'x', timeout_ms: 5, retryAttempts: -1 },
          broken: 'not an object',
          remote: { url: 'ftp://files.example/mcp' },
        },
      },
      { env: {} },
    ).catch((caught: unknown) => caught);
    expect(problemFields(error).sort()).toEqual([
      'mcpServers.bad alias!',
      'mcpServers.broken',
      'mcpServers.nothing.serverUrl',
      'mcpServers.remote.url',
      'mcpServers.typo.retryAttempts',
      'mcpServers.weird.type',
    ]);
  });

  it('explains files it cannot use', async () => {
    await expect(loadMcpServersConfig(join(dir, 'missing.json'))).rejects.toThrow(
      /expected a readable file/,
    );
    await expect(loadMcpServersConfig(await file('bad.json', '{ "mcpServers": '))).rejects.toThrow(
      /expected JSON/,
    );
    await expect(
      loadMcpServersConfig(
        await file('big.json', `{"mcpServers":{}, "pad": "${'x'.repeat(2_000)}"}`),
        { maxFileBytes: 1_000 },
      ),
    ).rejects.toThrow(/at most 1000 bytes/);
    await expect(loadMcpServersConfig(dir)).rejects.toThrow(/expected a file/);
    expect(() => parseMcpServersConfig({ servers: [] })).toThrow(McpConfigError);
    expect(() => parseMcpServersConfig({ something: {} })).toThrow(/"mcpServers"/);
  });

  it('merges mcpServers and servers, refusing an alias in both', () => {
    expect(
      Object.keys(
        parseMcpServersConfig(
          { mcpServers: { a: { command: 'x' } }, servers: { b: { command: 'y' } } },
          { env: {} },
        ),
      ),
    ).toEqual(['a', 'b']);
    expect(() =>
      parseMcpServersConfig(
        { mcpServers: { a: { command: 'x' } }, servers: { a: { command: 'y' } } },
        { env: {} },
      ),
    ).toThrow(/each alias once/);
  });
});
