// MCPClient over HTTPS and mutual TLS, against MockMCPServer with throwaway certificates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnectionError } from '@tframex/mcp-api';
import { createTestCertificates, MockMCPServer, type TestCertificates } from '@tframex/mcp-testing';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

describe('MCPClient over TLS', () => {
  let certs: TestCertificates;
  let server: MockMCPServer;
  let url: string;
  beforeAll(async () => {
    certs = createTestCertificates();
    server = new MockMCPServer({ name: 'vault' });
    server.addTool('secret', () => 'the password is swordfish');
    url = await server.start({
      tls: {
        cert: certs.read(certs.serverCertFile),
        key: certs.read(certs.serverKeyFile),
        ca: certs.read(certs.caFile),
        requestCert: true,
      },
    });
  });
  afterAll(async () => {
    await server.stop();
    certs.remove();
  });

  const mtls = () => ({
    ca: certs.read(certs.caFile),
    clientCert: certs.read(certs.clientCertFile),
    clientKey: certs.read(certs.clientKeyFile),
  });

  it('connects with a client certificate (key passphrase from the auth plugin)', async () => {
    const client = new MCPClient(
      testOptions({
        name: 'vault',
        serverUrl: url,
        ...mtls(),
        auth: { name: 'key-passphrase', tls: () => ({ passphrase: certs.clientKeyPassphrase }) },
      }),
    );
    try {
      expect((await client.callTool('secret', {})).content).toEqual([
        { type: 'text', text: 'the password is swordfish' },
      ]);
    } finally {
      await client.close();
    }
  });

  it('is refused without a certificate, and refuses a server its CA does not vouch for', async () => {
    const anonymous = new MCPClient(
      testOptions({
        name: 'vault',
        serverUrl: url,
        ca: certs.read(certs.caFile),
        retryAttempts: 0,
      }),
    );
    await expect(anonymous.connect()).rejects.toSatisfy((error) =>
      McpConnectionError.isInstance(error),
    );
    await anonymous.close();
    const untrusting = new MCPClient(
      testOptions({
        name: 'vault',
        serverUrl: url,
        retryAttempts: 0,
        clientCert: mtls().clientCert,
        clientKey: mtls().clientKey,
      }),
    );
    await expect(untrusting.connect()).rejects.toSatisfy((error) =>
      McpConnectionError.isInstance(error),
    );
    await untrusting.close();
  });
});
