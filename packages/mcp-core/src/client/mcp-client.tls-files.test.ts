// Certificates given as file paths as well as PEM text: mutual TLS against MockMCPServer,
// and a wrong path is a config error naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConfigError } from '@tframex/mcp-api';
import type { TestCertificates } from '@tframex/mcp-testing';
import {
  SECRET,
  startMutualTlsServer,
  type MutualTlsServer,
} from '../test-support/mutual-tls-server.js';
import { parseMCPConfig } from '../config/parse-mcp-config.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

describe('MCPClient with certificate files', () => {
  let tls: MutualTlsServer;
  let certs: TestCertificates;
  let url: string;
  beforeAll(async () => {
    tls = await startMutualTlsServer();
    ({ certs, url } = tls);
  });
  afterAll(() => tls.stop());

  it('connects with clientCert, clientKey and ca given as paths', async () => {
    const client = new MCPClient(
      testOptions({
        name: 'vault',
        serverUrl: url,
        ca: certs.caFile,
        clientCert: certs.clientCertFile,
        clientKey: certs.clientKeyFile,
        auth: { name: 'key-passphrase', tls: () => ({ passphrase: certs.clientKeyPassphrase }) },
      }),
    );
    try {
      expect((await client.callTool('secret', {})).content).toEqual([
        { type: 'text', text: SECRET },
      ]);
      // The config carries the text, so parsing it again gives it back unchanged.
      expect(client.settings.tls?.ca).toBe(certs.read(certs.caFile));
    } finally {
      await client.close();
    }
  });

  it('reports a missing file or a file without PEM under the field', () => {
    const fields = (options: Record<string, unknown>) => {
      try {
        parseMCPConfig({ serverUrl: url, ...options });
      } catch (error) {
        if (McpConfigError.isInstance(error)) return error.issues.map((issue) => issue.field);
        throw error;
      }
      return [];
    };
    expect(fields({ ca: `${certs.dir}/missing.pem` })).toEqual(['ca']);
    expect(fields({ clientCert: certs.clientCertFile, clientKey: certs.caFile })).toEqual([
      'clientKey',
    ]);
    expect(fields({ ca: [certs.caFile, certs.read(certs.caFile)] })).toEqual([]);
  });
});
