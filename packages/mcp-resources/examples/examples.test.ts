// Runs the TFrameX resource examples against real servers: PostgreSQL, Redis, s3rver and
// json-server behind the MCP servers from npm, and a MockMCPServer.
import { describe, expect, it } from 'vitest';
import { main as cacheAndEvents } from './cache-and-events.js';
import { main as database } from './database.js';
import { main as files } from './files.js';
import { main as secureData } from './secure-data.js';
import { main as weatherApi } from './weather-api.js';

describe('TFrameX resource examples', () => {
  it('database: SELECT with a ? parameter on PostgreSQL', async () => {
    expect(await database()).toEqual([expect.objectContaining({ name: 'Alice' })]);
  });

  it('files: read and list on a filesystem server and an S3 bucket', async () => {
    const { filesystem, s3 } = await files();
    expect(filesystem.sort()).toEqual(['2026', '2026/summary.txt', 'report.pdf']);
    expect(s3.sort()).toEqual(['2026/summary.txt', 'report.pdf']);
  });

  it('api: GET /current?city=London through an OpenAPI MCP server', async () => {
    expect(await weatherApi()).toEqual([{ id: 1, city: 'London', temp: 12, condition: 'rain' }]);
  });

  it('cache and events: key-value and a Redis stream through mcp-redis', async () => {
    const { user, receipt } = await cacheAndEvents();
    expect(user).toEqual({ name: 'Alice', role: 'admin' });
    expect(receipt.id).toMatch(/^\d+-\d+$/);
  });

  it('secure data: list, read, templates and watch with encryption at rest', async () => {
    const { entries, record, change } = await secureData();
    expect(entries).toEqual(['salaries.json']);
    expect(record).toEqual({ id: '7', classified: true });
    expect(change).toMatchObject({ reason: 'updated', value: { revision: 2 } });
  });
});
