import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpConfigError, McpSecurityError, McpToolError } from '@tframex/mcp-api';
import { MCPTestClient, MCPTestToolSource } from '@tframex/mcp-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCPResource } from '../../mcp-resource.js';
import { filesystemServer } from '../../test-support/servers.js';

let root: string;
let client: MCPTestClient;
const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x00, 0xff, 0x10]);
const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 1]);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mcp-resources-fs-'));
  mkdirSync(join(root, 'shared/documents/archive/2025'), { recursive: true });
  writeFileSync(join(root, 'shared/documents/report.pdf'), pdf);
  writeFileSync(join(root, 'shared/documents/logo.png'), png);
  writeFileSync(join(root, 'shared/documents/notes.txt'), 'first line\nsecond line\n');
  writeFileSync(join(root, 'shared/documents/config.json'), '{"debug":true,"level":3}');
  writeFileSync(join(root, 'shared/documents/archive/2025/old.md'), '# old');
  writeFileSync(join(root, 'shared/big.txt'), 'x'.repeat(10_000));
  writeFileSync(join(root, 'outside.txt'), 'not in shared');
  client = new MCPTestClient(filesystemServer(root), { name: 'filesystem', era: 'legacy' });
  await client.connect();
});

afterAll(async () => {
  await client?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('filesystem driver against @modelcontextprotocol/server-filesystem (stdio)', () => {
  it("reads bytes or text by MIME type, relative to the server's allowed directory", async () => {
    const files = new MCPResource({ client, uri: 'mcp://filesystem/shared', type: 'filesystem' });
    expect(await files.driverName()).toBe('server-filesystem');
    const report = await files.read('documents/report.pdf');
    expect(report).toBeInstanceOf(Uint8Array);
    expect([...(report as Uint8Array)]).toEqual([...pdf]);
    const content = await files.readContent('documents/report.pdf');
    expect(content.mimeType).toBe('application/pdf');
    expect(content.uri).toBe(`file://${root}/shared/documents/report.pdf`);
    expect([...((await files.read('documents/logo.png')) as Uint8Array)]).toEqual([...png]);
    expect(await files.read('documents/notes.txt')).toBe('first line\nsecond line\n');
    expect(await files.read('documents/config.json')).toEqual({ debug: true, level: 3 });
  });

  it('lists a directory, recursively, and page by page as an async iterator', async () => {
    const files = new MCPResource({ client, uri: 'mcp://filesystem/shared', type: 'filesystem' });
    const top = await files.list('documents/');
    expect(top.map((e) => `${e.kind}:${e.path}`).sort()).toEqual([
      'directory:archive',
      'file:config.json',
      'file:logo.png',
      'file:notes.txt',
      'file:report.pdf',
    ]);
    const listing = await files.list('documents/', { recursive: true });
    expect(listing.map((e) => e.path)).toEqual(
      expect.arrayContaining(['archive/2025', 'archive/2025/old.md', 'report.pdf']),
    );
    expect(listing.find((e) => e.path === 'report.pdf')?.mimeType).toBe('application/pdf');
    const seen: string[] = [];
    for await (const entry of files.list('', { recursive: true })) seen.push(entry.path);
    expect(seen).toContain('documents/archive/2025/old.md');
    expect(seen).toContain('big.txt');
  });

  it('takes an absolute directory and any tool source', async () => {
    const source = new MCPTestToolSource({ servers: { filesystem: client } });
    const files = new MCPResource({
      client: source,
      uri: `mcp://filesystem/${root}/shared/documents`,
      type: 'filesystem',
    });
    expect(await files.read('notes.txt')).toMatch(/^first line/);
  });

  it('refuses .., oversized files and files the server refuses, with typed errors', async () => {
    const files = new MCPResource({
      client,
      uri: 'mcp://filesystem/shared',
      type: 'filesystem',
      maxBytes: 1000,
    });
    await expect(files.read('../outside.txt')).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && e.field === 'path',
    );
    await expect(files.read('big.txt')).rejects.toSatisfy(
      (e) =>
        McpSecurityError.isInstance(e) &&
        e.rule === 'response-size' &&
        /10000 bytes/.test(e.message),
    );
    const missing = await files.read('documents/none.txt').catch((e: unknown) => e);
    expect(McpToolError.isInstance(missing)).toBe(true);
    expect((missing as McpToolError).toolName).toBe('get_file_info');
    expect((missing as Error).message).toMatch(/ENOENT/);
    const etc = new MCPResource({ client, uri: 'mcp://filesystem//etc', type: 'filesystem' });
    await expect(etc.read('hostname')).rejects.toThrow(/Access denied|outside allowed/);
  });
});
