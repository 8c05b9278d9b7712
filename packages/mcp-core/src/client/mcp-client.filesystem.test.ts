// MCPClient against the official filesystem server over stdio, on a temporary directory.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILESYSTEM_BIN } from '../test-support/everything.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

describe('MCPClient with server-filesystem over stdio', () => {
  let dir: string;
  let client: MCPClient;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-fs-'));
    await writeFile(join(dir, 'hello.txt'), 'hello from disk\n');
    client = new MCPClient(
      testOptions({ name: 'fs', command: process.execPath, args: [FILESYSTEM_BIN, dir] }),
    );
    await client.connect();
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and writes files, with structured results that match the output schemas', async () => {
    const tools = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['read_text_file', 'write_file', 'list_directory']),
    );
    const read = await client.callTool('read_text_file', { path: join(dir, 'hello.txt') });
    expect(JSON.stringify(read.content)).toContain('hello from disk');
    const write = await client.callTool('write_file', {
      path: join(dir, 'out.txt'),
      content: 'written by MCPClient',
    });
    expect(write.isError).toBeFalsy();
    expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('written by MCPClient');
    const listing = await client.callTool('list_directory', { path: dir });
    expect(JSON.stringify(listing.content)).toMatch(
      /hello\.txt[\s\S]*out\.txt|out\.txt[\s\S]*hello\.txt/,
    );
  });

  it('reports a path outside the allowed directory as a tool error', async () => {
    const result = await client.callTool('read_text_file', { path: '/etc/hostname' });
    expect(result.isError).toBe(true);
  });

  it('finds read-only tools by annotation', async () => {
    const readOnly = await client.discoverTools({ annotations: { readOnlyHint: true } });
    expect(readOnly.map((tool) => tool.name)).toContain('read_text_file');
    expect(readOnly.map((tool) => tool.name)).not.toContain('write_file');
  });
});
