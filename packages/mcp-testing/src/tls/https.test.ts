// MockMCPServer over HTTPS, with and without client certificates.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificates, MockMCPServer, type TestCertificates } from '../index.js';

function post(
  url: string,
  options: { ca: string; cert?: string; key?: string; passphrase?: string },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ...options,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.once('error', reject);
    req.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 't', version: '1' },
        },
      }),
    );
  });
}

describe('MockMCPServer over HTTPS', () => {
  let certs: TestCertificates;
  beforeAll(() => {
    certs = createTestCertificates();
  });
  afterAll(() => certs.remove());

  it('serves https, and with requestCert refuses clients without a trusted certificate', async () => {
    const server = new MockMCPServer({ name: 'secure' });
    const url = await server.start({
      tls: {
        cert: certs.read(certs.serverCertFile),
        key: certs.read(certs.serverKeyFile),
        ca: certs.read(certs.caFile),
        requestCert: true,
      },
    });
    try {
      expect(url.startsWith('https://127.0.0.1:')).toBe(true);
      const ca = certs.read(certs.caFile);
      expect(
        await post(url, {
          ca,
          cert: certs.read(certs.clientCertFile),
          key: certs.read(certs.clientKeyFile),
          passphrase: certs.clientKeyPassphrase,
        }),
      ).toBe(200);
      await expect(post(url, { ca })).rejects.toThrow();
      await expect(
        post(url, {
          ca,
          cert: certs.read(certs.rogueCertFile),
          key: certs.read(certs.rogueKeyFile),
        }),
      ).rejects.toThrow();
    } finally {
      await server.stop();
    }
  });
});
