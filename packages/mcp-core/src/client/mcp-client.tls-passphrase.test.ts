// `clientKeyPassphrase`: an encrypted client key unlocked from the options, against a real
// mutual-TLS server on 127.0.0.1; the passphrase never shows, and a wrong one is a clear
// error that is not retried.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConfigError, McpError } from '@tframex/mcp-api';
import type { TestCertificates } from '@tframex/mcp-testing';
import {
  SECRET,
  startMutualTlsServer,
  type MutualTlsServer,
} from '../test-support/mutual-tls-server.js';
import { redactMCPConfig } from '../config/redact-mcp-config.js';
import { parseMCPConfig } from '../config/parse-mcp-config.js';
import { agentPoolKey } from '../security/agent-pool-key.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

describe('clientKeyPassphrase', () => {
  let tls: MutualTlsServer;
  let certs: TestCertificates;
  let url: string;
  beforeAll(async () => {
    tls = await startMutualTlsServer();
    ({ certs, url } = tls);
  });
  afterAll(() => tls.stop());

  const mtls = (clientKeyPassphrase: string) => ({
    name: 'vault',
    serverUrl: url,
    ca: certs.read(certs.caFile),
    clientCert: certs.clientCertFile,
    clientKey: certs.clientKeyFile,
    clientKeyPassphrase,
  });

  it('unlocks an encrypted client key for mutual TLS', async () => {
    const client = new MCPClient(testOptions(mtls(certs.clientKeyPassphrase)));
    try {
      expect((await client.callTool('secret', {})).content).toEqual([
        { type: 'text', text: SECRET },
      ]);
    } finally {
      await client.close();
    }
  });

  it('never shows the passphrase: inspection, JSON, redacted config', async () => {
    const passphrase = certs.clientKeyPassphrase;
    const client = new MCPClient(testOptions(mtls(passphrase)));
    try {
      expect(inspect(client, { depth: 10 })).not.toContain(passphrase);
      expect(JSON.stringify(client.settings)).not.toContain(passphrase);
      expect(inspect(client.settings.tls, { depth: 10 })).not.toContain(passphrase);
      const config = parseMCPConfig(mtls(passphrase));
      expect(JSON.stringify(redactMCPConfig(config))).not.toContain(passphrase);
      expect(redactMCPConfig(config)['clientKeyPassphrase']).toBe('[redacted]');
    } finally {
      await client.close();
    }
  });

  it('tells agents apart by passphrase without keeping it', () => {
    const material = { cert: 'c', key: 'k' };
    const one = agentPoolKey(true, { ...material, passphrase: 'first secret' }, undefined);
    const two = agentPoolKey(true, { ...material, passphrase: 'second secret' }, undefined);
    expect(one).not.toBe(two);
    expect(one).not.toContain('first secret');
  });

  it('a wrong passphrase is a config error naming the field, without the passphrase', () => {
    let error: unknown;
    try {
      new MCPClient(testOptions(mtls('not the passphrase')));
    } catch (caught) {
      error = caught;
    }
    expect(McpConfigError.isInstance(error)).toBe(true);
    expect((error as McpConfigError).message).toContain('clientKeyPassphrase');
    expect(inspect(error, { depth: 10 })).not.toContain('not the passphrase');
    expect(JSON.stringify(error)).not.toContain('not the passphrase');
  });

  it('a wrong passphrase from an auth plugin fails at once, not retried', async () => {
    const client = new MCPClient(
      testOptions({
        name: 'vault',
        serverUrl: url,
        ca: certs.read(certs.caFile),
        clientCert: certs.clientCertFile,
        clientKey: certs.clientKeyFile,
        retryAttempts: 3,
        auth: { name: 'wrong-passphrase', tls: () => ({ passphrase: 'not the passphrase' }) },
      }),
    );
    const retries: unknown[] = [];
    client.on('retry', (event) => retries.push(event));
    try {
      const error: unknown = await client.connect().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(McpError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ retryable: false });
      expect(['config', 'connection']).toContain((error as McpError).kind);
      expect((error as McpError).message).toMatch(/passphrase/i);
      expect(inspect(error, { depth: 10 })).not.toContain('not the passphrase');
      expect(retries).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
