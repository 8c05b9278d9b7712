import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpConfigError } from '@tframex/mcp-api';
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpRestError } from '../../errors/mcp-rest-error.js';
import { MCPResource } from '../../mcp-resource.js';
import { startJsonServer, type RunningJsonServer } from '../../test-support/json-server.js';
import { npmServer } from '../../test-support/servers.js';

const DATA = {
  users: [
    { id: 1, name: 'Alice', role: 'admin' },
    { id: 2, name: 'Bob', role: 'user' },
  ],
  current: [
    { id: 1, city: 'London', temp: 12 },
    { id: 2, city: 'Paris', temp: 15 },
  ],
};

const query = (name: string, type = 'string') => ({ name, in: 'query', schema: { type } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } };
const ok = { 200: { description: 'ok' } };
const OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'weather', version: '1.0.0' },
  paths: {
    '/users': {
      get: { operationId: 'listUsers', parameters: [query('role')], responses: ok },
      post: {
        operationId: 'createUser',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { name: { type: 'string' }, role: { type: 'string' } },
              },
            },
          },
        },
        responses: ok,
      },
    },
    '/users/{id}': {
      get: { operationId: 'getUser', parameters: [idParam], responses: ok },
      delete: { operationId: 'deleteUser', parameters: [idParam], responses: ok },
    },
    '/current': { get: { operationId: 'getCurrent', parameters: [query('city')], responses: ok } },
  },
};

let backend: RunningJsonServer;
let openapi: MCPTestClient;
let generic: MCPTestClient;

beforeAll(async () => {
  backend = await startJsonServer(DATA);
  const spec = join(backend.dir, 'openapi.json');
  writeFileSync(spec, JSON.stringify(OPENAPI));
  openapi = new MCPTestClient(
    npmServer('@ivotoby/openapi-mcp-server/bin/mcp-server.js', [
      '--transport',
      'stdio',
      '--api-base-url',
      backend.url,
      '--openapi-spec',
      spec,
    ]),
    { name: 'api', era: 'legacy' },
  );
  generic = new MCPTestClient(
    npmServer('dkmaker-mcp-rest-api/build/index.js', [], { REST_BASE_URL: backend.url }),
    { name: 'api', era: 'legacy' },
  );
  await Promise.all([openapi.connect(), generic.connect()]);
}, 60_000);

afterAll(async () => {
  await openapi?.close();
  await generic?.close();
  await backend?.stop();
});

for (const flavour of ['openapi-mcp-server', 'rest-request-tool'] as const) {
  describe(`rest driver: ${flavour} in front of json-server`, () => {
    const client = () => (flavour === 'openapi-mcp-server' ? openapi : generic);

    it('gets with query parameters, path parameters, and the JSON body back', async () => {
      const api = new MCPResource({ client: client(), uri: 'mcp://api/weather', type: 'rest' });
      expect(await api.driverName()).toBe(flavour);
      const weather = await api.get('/current', { params: { city: 'London' } });
      expect(weather).toEqual([{ id: 1, city: 'London', temp: 12 }]);
      expect(await api.get('/users/2')).toEqual({ id: 2, name: 'Bob', role: 'user' });
      expect(await api.get('/users', { params: { role: 'admin' } })).toEqual([
        { id: 1, name: 'Alice', role: 'admin' },
      ]);
    });

    it('posts and deletes; an error status is McpRestError with the status', async () => {
      const api = new MCPResource({ client: client(), uri: 'mcp://api/weather', type: 'rest' });
      const created = (await api.post('/users', {
        body: { name: `Carol-${flavour}`, role: 'user' },
      })) as {
        id: number;
      };
      expect(created).toMatchObject({ name: `Carol-${flavour}`, role: 'user' });
      expect(await api.get(`/users/${created.id}`)).toMatchObject({ name: `Carol-${flavour}` });
      await api.delete(`/users/${created.id}`);
      const gone = await api.get(`/users/${created.id}`).catch((e: unknown) => e);
      expect(McpRestError.isInstance(gone)).toBe(true);
      expect((gone as McpRestError).status).toBe(404);
      await expect(api.get('/users/../secrets')).rejects.toSatisfy(
        (e) => McpConfigError.isInstance(e) && e.field === 'path',
      );
      await expect(api.get('http://evil.example/x')).rejects.toSatisfy(
        (e) => McpConfigError.isInstance(e) && e.field === 'path',
      );
    });
  });
}

describe('rest driver: resource templates (RFC 6570)', () => {
  it('reads the template whose path matches, filled with path variables and query parameters', async () => {
    const server = new MockMCPServer({ name: 'api' });
    server.addResourceTemplate('weather://api/current{?city}', (_uri, { city }) => ({
      city,
      units: 'metric',
    }));
    server.addResourceTemplate('weather://api/forecast/{city}/{day}', (_uri, { city, day }) => ({
      city,
      day,
    }));
    await server.start();
    const client = new MCPTestClient(server, { name: 'api' });
    try {
      const api = new MCPResource({ client, uri: 'mcp://api/weather', type: 'rest' });
      expect(await api.driverName()).toBe('resource-templates');
      expect(await api.get('/current', { params: { city: 'London' } })).toEqual({
        city: 'London',
        units: 'metric',
      });
      expect(server.requestsFor('resources/read').at(-1)?.target).toBe(
        'weather://api/current?city=London',
      );
      expect(await api.get('/forecast/London/monday')).toEqual({ city: 'London', day: 'monday' });
      await expect(api.post('/current')).rejects.toThrow(/read-only: POST/);
      await expect(api.get('/nowhere')).rejects.toThrow(/No resource template .* GET \/nowhere/);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
