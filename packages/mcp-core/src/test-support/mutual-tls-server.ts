// A MockMCPServer on HTTPS that asks for a client certificate, with throwaway certificates:
// the server of the mutual-TLS tests. Its one tool, `secret`, answers SECRET.
import { createTestCertificates, MockMCPServer, type TestCertificates } from '@tframex/mcp-testing';

export const SECRET = 'the password is swordfish';

export interface MutualTlsServer {
  certs: TestCertificates;
  server: MockMCPServer;
  url: string;
  /** Stops the server and removes the certificates. */
  stop(): Promise<void>;
}

export async function startMutualTlsServer(): Promise<MutualTlsServer> {
  const certs = createTestCertificates();
  const server = new MockMCPServer({ name: 'vault' });
  server.addTool('secret', () => SECRET);
  const url = await server.start({
    tls: {
      cert: certs.read(certs.serverCertFile),
      key: certs.read(certs.serverKeyFile),
      ca: certs.read(certs.caFile),
      requestCert: true,
    },
  });
  return {
    certs,
    server,
    url,
    async stop() {
      await server.stop();
      certs.remove();
    },
  };
}
