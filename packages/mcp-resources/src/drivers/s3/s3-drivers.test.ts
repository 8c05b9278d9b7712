import { McpConfigError } from '@tframex/mcp-api';
import { MCPTestClient, type MockMCPServer } from '@tframex/mcp-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCPResource } from '../../mcp-resource.js';
import { startS3Fixture, type S3Fixture } from '../../test-support/s3-fixture.js';

let fixture: S3Fixture;
const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x00, 0xfe]);

beforeAll(async () => {
  fixture = await startS3Fixture(['shared']);
  await fixture.put('shared', 'documents/report.pdf', pdf, 'application/pdf');
  await fixture.put('shared', 'documents/notes.txt', 'remember the milk', 'text/plain');
  await fixture.put('shared', 'documents/2026/q1.json', '{"revenue":42}', 'application/json');
  for (let i = 0; i < 12; i++)
    await fixture.put(
      'shared',
      `logs/day-${String(i).padStart(2, '0')}.log`,
      `log ${i}`,
      'text/plain',
    );
}, 60_000);

afterAll(async () => {
  await fixture?.stop();
});

async function connect(server: MockMCPServer) {
  await server.start();
  return new MCPTestClient(server, { name: 'filesystem' });
}

describe('s3 driver: object tools in front of s3rver', () => {
  it('reads bytes or text by MIME type and lists (page by page, following continuation tokens)', async () => {
    const server = fixture.toolServer(5);
    const client = await connect(server);
    try {
      const files = new MCPResource({ client, uri: 'mcp://filesystem/shared', type: 's3' });
      expect(await files.driverName()).toBe('s3-tools');
      const report = await files.read('documents/report.pdf');
      expect([...(report as Uint8Array)]).toEqual([...pdf]);
      expect(await files.read('documents/notes.txt')).toBe('remember the milk');
      expect(await files.read('documents/2026/q1.json')).toEqual({ revenue: 42 });
      const listing = await files.list('documents/', { recursive: true });
      expect(listing.map((e) => e.path).sort()).toEqual([
        '2026/q1.json',
        'notes.txt',
        'report.pdf',
      ]);
      const top = await files.list('documents/');
      expect(top.map((e) => `${e.kind}:${e.path}`).sort()).toEqual([
        'directory:2026',
        'file:notes.txt',
        'file:report.pdf',
      ]);
      const logs = new MCPResource({ client, uri: 'mcp://filesystem/shared/logs', type: 's3' });
      const entries = await logs.list();
      expect(entries).toHaveLength(12);
      expect(entries[0]).toMatchObject({ path: 'day-00.log', kind: 'file', size: 5 });
      expect(server.callsTo('list-objects').length).toBeGreaterThanOrEqual(3 + 1 + 1);
      expect(await logs.read('day-03.log')).toBe('log 3');
      await expect(files.read('../other-bucket/x')).rejects.toSatisfy(
        (e) => McpConfigError.isInstance(e) && e.field === 'path',
      );
    } finally {
      await client.close();
      await server.stop();
    }
  });
});

describe('s3 driver: s3:// resources of any server', () => {
  it('reads and lists through resources/read and resources/list', async () => {
    const server = await fixture.resourceServer('shared');
    const client = await connect(server);
    try {
      const files = new MCPResource({ client, uri: 'mcp://filesystem/shared', type: 's3' });
      expect(await files.driverName()).toBe('s3-resources');
      expect([...((await files.read('documents/report.pdf')) as Uint8Array)]).toEqual([...pdf]);
      expect(await files.read('documents/2026/q1.json')).toEqual({ revenue: 42 });
      const listing = await files.list('documents/', { recursive: true });
      expect(listing.map((e) => `${e.kind}:${e.path}`).sort()).toEqual([
        'file:2026/q1.json',
        'file:notes.txt',
        'file:report.pdf',
      ]);
      expect((await files.list('documents/')).map((e) => `${e.kind}:${e.path}`).sort()).toEqual([
        'directory:2026',
        'file:notes.txt',
        'file:report.pdf',
      ]);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
