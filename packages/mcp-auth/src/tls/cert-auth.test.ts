// CertAuth and createTlsFetch against a real node:https server that requires client
// certificates signed by its CA, with certificates made for the test.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createAuthFetch } from '@tframex/mcp-auth-api';
import { McpAuthError, McpConfigError } from '@tframex/mcp-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeAuthPlugins } from '../custom/compose-auth-plugins.js';
import { BearerAuth } from '../schemes/bearer-auth.js';
import { expectRedacted } from '../test-support/expect-redacted.js';
import { createTestCertificates, type TestCertificates } from '@tframex/mcp-testing';
import { CertAuth } from './cert-auth.js';
import { createTlsFetch, type TlsFetch } from './create-tls-fetch.js';

describe('CertAuth (mutual TLS)', { timeout: 30_000 }, () => {
  let certs: TestCertificates;
  let server: Server;
  let url: string;
  const opened: TlsFetch[] = [];

  const tlsFetchFor = async (auth: { tls?: () => unknown }) => {
    const tlsFetch = createTlsFetch((await auth.tls?.()) as never);
    opened.push(tlsFetch);
    return tlsFetch;
  };

  beforeAll(async () => {
    certs = createTestCertificates();
    server = createServer(
      {
        key: certs.read(certs.serverKeyFile),
        cert: certs.read(certs.serverCertFile),
        ca: certs.read(certs.caFile),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        res.end(
          JSON.stringify({
            subject: peer.subject?.CN,
            authorization: req.headers.authorization ?? null,
          }),
        );
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(opened.map((f) => f.close()));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    certs.remove();
  });

  const clientAuth = () =>
    new CertAuth({
      certFile: certs.clientCertFile,
      keyFile: certs.clientKeyFile,
      passphrase: certs.clientKeyPassphrase,
      caBundle: certs.caFile,
    });

  it('presents the client certificate and trusts the CA bundle', async () => {
    const auth = clientAuth();
    const material = await auth.tls();
    expect(material).toMatchObject({ passphrase: certs.clientKeyPassphrase });
    expect(Object.values(material).every((value) => value !== undefined)).toBe(true);
    const response = await createAuthFetch(auth, { fetch: await tlsFetchFor(auth) })(url);
    expect(await response.json()).toEqual({ subject: 'agent', authorization: null });
  });

  it('is refused by the server without a client certificate', async () => {
    const caOnly = await tlsFetchFor({ tls: () => ({ ca: certs.read(certs.caFile) }) });
    await expect(caOnly(url)).rejects.toThrow();
  });

  it('is refused with a certificate from a CA the server does not trust', async () => {
    const rogue = new CertAuth({
      certFile: certs.rogueCertFile,
      keyFile: certs.rogueKeyFile,
      caBundle: certs.caFile,
    });
    await expect((await tlsFetchFor(rogue))(url)).rejects.toThrow();
  });

  it('combines with a header scheme (mTLS + bearer)', async () => {
    const auth = composeAuthPlugins(clientAuth(), new BearerAuth({ token: 'bearer-over-mtls' }));
    const response = await createAuthFetch(auth, { fetch: await tlsFetchFor(auth) })(url);
    expect(await response.json()).toEqual({
      subject: 'agent',
      authorization: 'Bearer bearer-over-mtls',
    });
  });

  it('accepts PEM contents instead of files', async () => {
    const auth = new CertAuth({
      cert: certs.read(certs.clientCertFile),
      key: Buffer.from(certs.read(certs.clientKeyFile)),
      passphrase: certs.clientKeyPassphrase,
      ca: [certs.read(certs.caFile)],
    });
    const response = await (await tlsFetchFor(auth))(url);
    expect(response.status).toBe(200);
  });

  it('reports unusable material as McpAuthError reason tls, without the passphrase', async () => {
    const wrongPassphrase = new CertAuth({
      certFile: certs.clientCertFile,
      keyFile: certs.clientKeyFile,
      passphrase: 'not-the-passphrase',
    });
    const error = await wrongPassphrase.tls().catch((e: unknown) => e);
    expect(McpAuthError.isInstance(error) && error.reason).toBe('tls');
    expectRedacted(error, 'not-the-passphrase');

    const noPassphrase = new CertAuth({
      certFile: certs.clientCertFile,
      keyFile: certs.clientKeyFile,
    });
    await expect(noPassphrase.tls()).rejects.toSatisfy(
      (e: unknown) => McpAuthError.isInstance(e) && e.reason === 'tls',
    );

    const mismatched = new CertAuth({
      certFile: certs.clientCertFile,
      keyFile: certs.rogueKeyFile,
    });
    await expect(mismatched.tls()).rejects.toSatisfy(
      (e: unknown) => McpAuthError.isInstance(e) && /does not belong/.test(e.message),
    );

    const missing = new CertAuth({
      certFile: `${certs.dir}/nope.crt`,
      keyFile: certs.rogueKeyFile,
    });
    await expect(missing.tls()).rejects.toSatisfy(
      (e: unknown) => McpAuthError.isInstance(e) && e.message.includes('nope.crt'),
    );
  });

  it('validates its options', () => {
    for (const [options, field] of [
      [{ keyFile: 'k' }, 'certFile'],
      [{ certFile: 'c', cert: 'C', keyFile: 'k' }, 'certFile'],
      [{ certFile: 'c' }, 'keyFile'],
      [{ certFile: 'c', keyFile: 'k', caBundle: [] }, 'caBundle'],
      [{ certFile: 'c', keyFile: 'k', caBundle: 'ca', ca: 'CA' }, 'caBundle'],
      [{ certFile: 'c', keyFile: 'k', pfxFile: 'p' }, 'pfxFile'],
    ] as const) {
      let caught: unknown;
      try {
        new CertAuth(options as never);
      } catch (error) {
        caught = error;
      }
      expect(McpConfigError.isInstance(caught)).toBe(true);
      expect((caught as McpConfigError).field).toBe(field);
    }
  });

  it('never shows the key or the passphrase', () => {
    const keyPem = certs.read(certs.clientKeyFile);
    const auth = new CertAuth({
      cert: certs.read(certs.clientCertFile),
      key: keyPem,
      passphrase: certs.clientKeyPassphrase,
    });
    expectRedacted(auth, certs.clientKeyPassphrase, keyPem.split('\n')[1]!);
    expect(auth.toJSON()).toEqual({
      name: 'cert',
      cert: '[pem]',
      key: '[redacted]',
      passphrase: '[redacted]',
    });
  });
});
