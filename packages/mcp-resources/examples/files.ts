// TFrameX's file resources: the same read/list calls on a directory behind the filesystem MCP
// server (type 'filesystem') and on an S3 bucket (type 's3', s3rver behind an MCP fixture).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MCPTestClient } from '@tframex/mcp-testing';
import { MCPResource, type ResourceEntry } from '../src/index.js';
import { startS3Fixture } from '../src/test-support/s3-fixture.js';
import { filesystemServer } from '../src/test-support/servers.js';

const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x00]);

async function readReport(
  files: MCPResource,
): Promise<{ report: unknown; listing: ResourceEntry[] }> {
  const report = await files.read('documents/report.pdf'); // bytes (or text by mime type)
  const listing = await files.list('documents/', { recursive: true });
  if (!(report instanceof Uint8Array) || report.byteLength !== PDF.byteLength) {
    throw new Error('report.pdf did not come back as its bytes');
  }
  if (!listing.some((entry) => entry.path === 'report.pdf')) {
    throw new Error(`listing lacks report.pdf: ${listing.map((e) => e.path).join(', ')}`);
  }
  return { report, listing };
}

export async function main(): Promise<{ filesystem: string[]; s3: string[] }> {
  // type 'filesystem': a directory served by @modelcontextprotocol/server-filesystem.
  const root = mkdtempSync(join(tmpdir(), 'tframex-files-'));
  mkdirSync(join(root, 'shared/documents/2026'), { recursive: true });
  writeFileSync(join(root, 'shared/documents/report.pdf'), PDF);
  writeFileSync(join(root, 'shared/documents/2026/summary.txt'), 'All good.');
  const fsClient = new MCPTestClient(filesystemServer(root), { name: 'filesystem' });
  // type 's3': bucket `shared` in s3rver.
  const s3 = await startS3Fixture(['shared']);
  await s3.put('shared', 'documents/report.pdf', PDF, 'application/pdf');
  await s3.put('shared', 'documents/2026/summary.txt', 'All good.', 'text/plain');
  const s3Server = s3.toolServer();
  await s3Server.start();
  const s3Client = new MCPTestClient(s3Server, { name: 'filesystem' });
  try {
    const local = new MCPResource({
      client: fsClient,
      uri: 'mcp://filesystem/shared',
      type: 'filesystem',
    });
    const bucket = new MCPResource({
      client: s3Client,
      uri: 'mcp://filesystem/shared',
      type: 's3',
    });
    const a = await readReport(local);
    const b = await readReport(bucket);
    return { filesystem: a.listing.map((e) => e.path), s3: b.listing.map((e) => e.path) };
  } finally {
    await fsClient.close();
    await s3Client.close();
    await s3Server.stop();
    await s3.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
