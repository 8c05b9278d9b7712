import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  McpConfigError,
  McpSecurityError,
  type McpSecurityRule,
  type Tool,
} from '@tframex/mcp-api';
import { createAuthFetch } from '@tframex/mcp-auth-api';
import { MCPSecurity } from './mcp-security.js';

function refusal(fn: () => unknown): McpSecurityError {
  try {
    fn();
  } catch (error) {
    if (McpSecurityError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
const ruleOf = (fn: () => unknown): McpSecurityRule => refusal(fn).rule;

describe('MCPSecurity.checkUrl', () => {
  const security = new MCPSecurity({
    allowedServers: [
      'api.example.com',
      '*.corp.example',
      '127.0.0.1:*',
      '[::1]:8080',
      'https://tools.example.org/mcp',
      'localhost',
    ],
  });

  it.each([
    'https://api.example.com/mcp',
    'https://API.Example.COM:8443/x',
    'https://a.corp.example/mcp',
    'https://deep.a.corp.example/mcp',
    'http://127.0.0.1:3000/mcp',
    'http://0x7f.0.0.1:3000/mcp',
    'http://[::1]:8080/mcp',
    'https://tools.example.org/mcp',
    'https://tools.example.org/mcp/v2?x=1',
    'http://localhost:1234/',
  ])('allows %s', (url) => {
    expect(security.checkUrl(url).href).toBe(new URL(url).href);
  });

  it.each([
    ['https://evil.example.com/', 'allowed-servers'],
    ['https://corp.example/', 'allowed-servers'],
    ['https://api.example.com.evil.net/', 'allowed-servers'],
    ['http://[::1]:9090/', 'allowed-servers'],
    ['https://tools.example.org/mcpx', 'allowed-servers'],
    ['https://tools.example.org/other', 'allowed-servers'],
    ['http://tools.example.org/mcp', 'allowed-servers'],
    ['http://api.example.com/mcp', 'encrypt-transport'],
    ['ftp://api.example.com/', 'allowed-servers'],
    ['file:///etc/passwd', 'allowed-servers'],
    ['not a url', 'allowed-servers'],
  ] as const)('refuses %s (%s)', (url, rule) => {
    expect(ruleOf(() => security.checkUrl(url))).toBe(rule);
  });

  it('allows everything with no list, but still wants encryption off loopback', () => {
    const open = new MCPSecurity();
    expect(open.checkUrl('https://anything.example/').hostname).toBe('anything.example');
    for (const host of ['localhost', '127.8.9.10', '[::1]', '[::ffff:127.0.0.1]']) {
      expect(open.checkUrl(`http://${host}:9/`).protocol).toBe('http:');
    }
    for (const host of ['localhost.evil.com', '10.0.0.1', '[::2]', '128.0.0.1']) {
      expect(ruleOf(() => open.checkUrl(`http://${host}/`))).toBe('encrypt-transport');
    }
    expect(new MCPSecurity({ encryptTransport: false }).checkUrl('http://10.0.0.1/').protocol).toBe(
      'http:',
    );
  });

  it('keeps query strings (which may hold secrets) out of messages', () => {
    const error = refusal(() =>
      new MCPSecurity().checkUrl('http://example.com/mcp?api_key=s3cret'),
    );
    expect(error.message).not.toContain('s3cret');
    expect(error.message).toContain('http://example.com/mcp');
  });

  it('reports unreadable entries as McpConfigError naming them', () => {
    expect(
      () => new MCPSecurity({ allowedServers: ['ok.example', 'bad host', 'relative/path'] }),
    ).toThrow(expect.objectContaining({ kind: 'config', field: 'allowedServers.1' }));
  });
});

describe('MCPSecurity.checkRedirect', () => {
  const security = new MCPSecurity({ allowedServers: ['*.example.com', '127.0.0.1:*'] });

  it('allows hops to allowed servers, resolving relative targets', () => {
    expect(() => security.checkRedirect('https://a.example.com/mcp', '/other')).not.toThrow();
    expect(() =>
      security.checkRedirect('https://a.example.com/mcp', 'https://b.example.com/mcp'),
    ).not.toThrow();
  });

  it('refuses downgrades and hops off the list, with the specific refusal as cause', () => {
    expect(
      ruleOf(() => security.checkRedirect('https://a.example.com/', 'http://127.0.0.1/')),
    ).toBe('redirect');
    const offList = refusal(() =>
      security.checkRedirect('https://a.example.com/', 'https://evil.net/'),
    );
    expect(offList.rule).toBe('redirect');
    expect((offList.cause as McpSecurityError).rule).toBe('allowed-servers');
  });

  describe('as the onRedirect of a real fetch', () => {
    const servers: Server[] = [];
    afterEach(async () => {
      await Promise.all(
        servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
      );
    });
    const listen = async (handler: Parameters<typeof createServer>[1]) => {
      const server = createServer(handler);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    };

    it('stops a redirect to a server that is not allowed', async () => {
      const elsewhere = await listen((_request, response) => response.end('leaked'));
      const origin = await listen((request, response) => {
        const target = request.url === '/ok' ? '/final' : `http://127.0.0.1:${elsewhere}/`;
        if (request.url === '/final') return void response.end('final');
        response.writeHead(302, { location: target }).end();
      });
      const guarded = new MCPSecurity({ allowedServers: [`127.0.0.1:${origin}`] });
      const authFetch = createAuthFetch(
        { name: 'none' },
        { onRedirect: (from, to) => guarded.checkRedirect(from, to) },
      );
      const ok = await authFetch(`http://127.0.0.1:${origin}/ok`);
      expect(await ok.text()).toBe('final');
      const error = await authFetch(`http://127.0.0.1:${origin}/away`).catch(
        (caught: unknown) => caught,
      );
      expect(McpSecurityError.isInstance(error) && error.rule).toBe('redirect');
    });
  });
});

describe('MCPSecurity.checkCommand', () => {
  const security = new MCPSecurity({
    allowedServers: ['npx', 'mcp-server-*', '/opt/mcp/bin/*', 'api.example.com:443'],
  });

  it('allows listed names given by name and listed paths given by path', () => {
    for (const command of [
      'npx',
      'mcp-server-fetch',
      '/opt/mcp/bin/tool',
      '/opt/mcp/lib/../bin/tool',
    ]) {
      expect(() => security.checkCommand(command)).not.toThrow();
    }
    expect(() => security.checkCommand('./bin/tool', { cwd: '/opt/mcp' })).not.toThrow();
  });

  it('refuses everything else, including look-alikes and escapes', () => {
    for (const command of [
      'node',
      '/tmp/npx',
      './npx',
      '/opt/mcp/bin/sub/tool',
      '/opt/mcp/bin/../../../tmp/x',
      'api.example.com',
      '',
    ]) {
      expect(ruleOf(() => security.checkCommand(command))).toBe('allowed-servers');
    }
  });

  it('allows any command with no list or with *', () => {
    expect(() => new MCPSecurity().checkCommand('/anything')).not.toThrow();
    expect(() => new MCPSecurity({ allowedServers: ['*'] }).checkCommand('whatever')).not.toThrow();
  });
});

describe('MCPSecurity schema validation', () => {
  const security = new MCPSecurity();
  const weather: Tool = {
    name: 'get_weather',
    inputSchema: {
      type: 'object',
      properties: { city: { type: 'string', minLength: 1 }, days: { type: 'integer', minimum: 1 } },
      required: ['city'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: { tempC: { type: 'number' } },
      required: ['tempC'],
    },
  };

  it('accepts matching arguments and results', () => {
    expect(() => security.validateArguments(weather, { city: 'Oslo', days: 2 })).not.toThrow();
    expect(() =>
      security.validateResult(weather, { structuredContent: { tempC: 3.5 } }),
    ).not.toThrow();
  });

  it('refuses mismatches, naming what is wrong', () => {
    const error = refusal(() => security.validateArguments(weather, { days: 0, extra: true }));
    expect(error.rule).toBe('schema-validation');
    expect(error.message).toMatch(/get_weather.*input schema.*city/);
    expect(
      ruleOf(() => security.validateResult(weather, { structuredContent: { tempC: 'warm' } })),
    ).toBe('schema-validation');
    expect(ruleOf(() => security.validateResult(weather, { content: [] } as never))).toBe(
      'schema-validation',
    );
  });

  it('does not check error results, tools without output schema, or anything when disabled', () => {
    expect(() => security.validateResult(weather, { isError: true })).not.toThrow();
    expect(() =>
      security.validateResult({ name: 'x' }, { structuredContent: 'anything' }),
    ).not.toThrow();
    const off = new MCPSecurity({ validateSchemas: false });
    expect(() => off.validateArguments(weather, { nonsense: 1 })).not.toThrow();
  });

  it('keeps two tools apart even when their schemas claim the same $id', () => {
    const a: Tool = {
      name: 'a',
      inputSchema: { $id: 'urn:same', type: 'object', required: ['x'] },
    };
    const b: Tool = {
      name: 'b',
      inputSchema: { $id: 'urn:same', type: 'object', required: ['y'] },
    };
    expect(() => security.validateArguments(a, { x: 1 })).not.toThrow();
    expect(() => security.validateArguments(b, { y: 1 })).not.toThrow();
    expect(ruleOf(() => security.validateArguments(b, { x: 1 }))).toBe('schema-validation');
  });

  it('refuses schemas it cannot compile', () => {
    const broken: Tool = {
      name: 'broken',
      inputSchema: { type: 'object', properties: { s: { type: 'string', pattern: '(' } } },
    };
    expect(ruleOf(() => security.validateArguments(broken, { s: 'x' }))).toBe('schema-validation');
    const remote: Tool = {
      name: 'remote',
      inputSchema: { $ref: 'https://example.com/schema.json' },
    };
    expect(ruleOf(() => security.validateArguments(remote, {}))).toBe('schema-validation');
  });

  it('refuses hostile schemas by depth or size, without overflowing the stack', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 200_000; i += 1) deep = { type: 'object', properties: { x: deep } };
    const deepTool = { name: 'deep', inputSchema: deep as Tool['inputSchema'] };
    expect(ruleOf(() => security.validateArguments(deepTool, {}))).toBe('schema-depth');
    const wide = {
      name: 'wide',
      inputSchema: { type: 'object', enum: Array.from({ length: 50_000 }, (_, i) => i) },
    };
    expect(ruleOf(() => security.validateArguments(wide, {}))).toBe('schema-depth');
    expect(() =>
      new MCPSecurity({ maxSchemaNodes: 100_000 }).checkSchema(wide.inputSchema),
    ).not.toThrow();
    const cyclic: Record<string, unknown> = { type: 'object' };
    cyclic.properties = { self: cyclic };
    expect(ruleOf(() => security.checkSchema(cyclic))).toBe('schema-depth');
  });
});

describe('MCPSecurity response size', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  it('fails reading a streamed body once it passes maxResponseBytes', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(1_024);
      let sent = 0;
      const pump = () => {
        while (sent < 1_024 && response.write(chunk)) sent += 1;
        if (sent < 1_024) response.once('drain', pump);
        else response.end();
      };
      pump();
    });
    const security = new MCPSecurity({ maxResponseBytes: 10_000 });
    const limited = security.limitResponse(await fetch(url));
    const error = await limited.text().catch((caught: unknown) => caught);
    expect(McpSecurityError.isInstance(error) && error.rule).toBe('response-size');
  });

  it('refuses a declared Content-Length over the limit at once, and passes small bodies through', async () => {
    const url = await serve((request, response) =>
      response.end(request.url === '/big' ? 'y'.repeat(5_000) : 'small'),
    );
    const security = new MCPSecurity({ maxResponseBytes: 1_000 });
    const big = await fetch(`${url}big`);
    expect(ruleOf(() => security.limitResponse(big))).toBe('response-size');
    const small = security.limitResponse(await fetch(`${url}small`));
    expect(await small.text()).toBe('small');
    expect(small.url).toBe(`${url}small`);
    expect(ruleOf(() => security.checkResponseSize(1_001))).toBe('response-size');
  });
});

describe('MCPSecurity signing', () => {
  const key = 'k'.repeat(32);
  const security = new MCPSecurity({ signingKey: key });
  const nowMs = Date.UTC(2026, 0, 1);

  it('signs bodies that verify, and refuses tampering, staleness and garbage', () => {
    const body = '{"jsonrpc":"2.0","method":"tools/call"}';
    const header = security.signBody(body, { timestampMs: nowMs });
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(security.signatureHeaders(body, { timestampMs: nowMs })).toEqual({
      'x-mcp-signature': header,
    });
    expect(() => security.verifyBody(body, header, { nowMs: nowMs + 1_000 })).not.toThrow();
    expect(ruleOf(() => security.verifyBody(`${body} `, header, { nowMs }))).toBe('signature');
    expect(() => security.verifyBody(body, header, { nowMs: nowMs + 301_000 })).toThrow(/expired/);
    expect(() => security.verifyBody(body, 'v1=abc', { nowMs })).toThrow(/malformed/);
    expect(() => security.verifyBody(body, undefined, { nowMs })).toThrow(/missing/);
    const otherKey = new MCPSecurity({ signingKey: 'o'.repeat(32) });
    expect(() => otherKey.verifyBody(body, header, { nowMs })).toThrow(/mismatch/);
  });

  it('needs a long enough key', () => {
    expect(() => new MCPSecurity({ signingKey: 'short' })).toThrow(
      expect.objectContaining({ kind: 'config', field: 'signingKey' }),
    );
    expect(() => new MCPSecurity().signBody('x')).toThrow(McpConfigError);
  });
});

describe('MCPSecurity encryption at rest', () => {
  it('round-trips with a raw key, with a fresh IV each time', async () => {
    const security = new MCPSecurity({ encryptionKey: new Uint8Array(32).fill(7) });
    const first = await security.encrypt('cached result');
    const second = await security.encrypt('cached result');
    expect(first).not.toBe(second);
    expect(await security.decryptString(first)).toBe('cached result');
    expect(
      Array.from(await security.decrypt(await security.encrypt(new Uint8Array([1, 2, 3])))),
    ).toEqual([1, 2, 3]);
  });

  it('derives the key from a passphrase, so another instance with it can decrypt', async () => {
    const token = await new MCPSecurity({ encryptionKey: 'correct horse battery' }).encrypt(
      'token',
    );
    expect(
      await new MCPSecurity({ encryptionKey: 'correct horse battery' }).decryptString(token),
    ).toBe('token');
    await expect(
      new MCPSecurity({ encryptionKey: 'wrong horse battery!' }).decrypt(token),
    ).rejects.toSatisfy(
      (error) => McpSecurityError.isInstance(error) && error.rule === 'integrity',
    );
  });

  it('refuses any altered byte, another key, another kind of key and garbage', async () => {
    const security = new MCPSecurity({ encryptionKey: new Uint8Array(32).fill(1) });
    const token = Buffer.from(await security.encrypt('secret'), 'base64url');
    for (let index = 0; index < token.length; index += 1) {
      const altered = Buffer.from(token);
      altered[index] = (altered[index] as number) ^ 1;
      await expect(security.decrypt(altered.toString('base64url'))).rejects.toSatisfy(
        McpSecurityError.isInstance,
      );
    }
    const other = new MCPSecurity({ encryptionKey: new Uint8Array(32).fill(2) });
    await expect(other.decrypt(token.toString('base64url'))).rejects.toSatisfy(
      McpSecurityError.isInstance,
    );
    const passphrase = new MCPSecurity({ encryptionKey: 'a passphrase here' });
    await expect(passphrase.decrypt(token.toString('base64url'))).rejects.toThrow(
      /another kind of key/,
    );
    for (const garbage of ['', 'not base64!', 'AQ', 'AQAA']) {
      await expect(security.decrypt(garbage)).rejects.toSatisfy(McpSecurityError.isInstance);
    }
  });

  it('validates the key and says when none was configured', async () => {
    expect(() => new MCPSecurity({ encryptionKey: new Uint8Array(16) })).toThrow(
      expect.objectContaining({ field: 'encryptionKey' }),
    );
    expect(() => new MCPSecurity({ encryptionKey: 'short' })).toThrow(
      expect.objectContaining({ field: 'encryptionKey' }),
    );
    await expect(Promise.resolve().then(() => new MCPSecurity().encrypt('x'))).rejects.toThrow(
      McpConfigError,
    );
  });
});

describe('MCPSecurity options', () => {
  it('suggests names and never echoes keys', () => {
    expect(() => new MCPSecurity({ allowedServer: ['x'] } as never)).toThrow(
      /did you mean "allowedServers"/,
    );
    try {
      new MCPSecurity({ signingKey: 'tiny-secret-value' });
    } catch (error) {
      expect((error as Error).message).not.toContain('tiny-secret-value');
      expect((error as McpConfigError).received).toBe('[redacted]');
    }
  });
});
