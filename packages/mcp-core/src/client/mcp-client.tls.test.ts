// MCPClient over HTTPS and mutual TLS, against MockMCPServer with throwaway certificates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnectionError } from '@tframex/mcp-api';
import type { TestCertificates } from '@tframex/mcp-testing';
import {
  SECRET,
  startMutualTlsServer,
  type MutualTlsServer,
} from '../test-support/mutual-tls-server.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

describe('MCPClient over TLS', () => {
  let tls: MutualTlsServer;
  let certs: TestCertificates;
  let url: string;
  beforeAll(async () => {
    tls = await startMutualTlsServer();
    ({ certs, url } = tls);
  });
  afterAll(() => tls.stop());

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
        { type: 'text', text: SECRET },
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
