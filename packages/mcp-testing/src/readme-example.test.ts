import { describe, expect, it } from 'vitest';
import { MCPTestClient, MockMCPServer } from './index.js';

describe('the README example', () => {
  it('serves tools and resources to a test client over HTTP', async () => {
    const server = new MockMCPServer({ name: 'db' });
    server.addTool('database/query', ({ sql }) => [{ id: 1, name: 'Test', sql }]);
    server.addTool('api/weather', ({ city }) => ({ temp: 22, condition: 'sunny', city }));
    server.addResource('filesystem/docs', { files: ['doc1.txt', 'doc2.txt'] });
    await server.start();
    const client = new MCPTestClient(server.url);
    try {
      const rows = await client.executeTool('database/query', { sql: 'SELECT * FROM users' });
      expect(rows[0].name).toBe('Test');
      expect(rows[0].sql).toBe('SELECT * FROM users');
      const weather = await client.executeTool('api/weather', { city: 'Oslo' });
      expect(weather).toEqual({ temp: 22, condition: 'sunny', city: 'Oslo' });
      const docs = client.getResource('filesystem/docs');
      expect(await docs.list()).toContain('doc1.txt');
      expect(server.callsTo('database/query')).toHaveLength(1);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
