// Throwaway certificates for TLS and mutual-TLS tests, made with the openssl CLI in a
// temporary directory: a CA, a server certificate for 127.0.0.1 and localhost, a client
// certificate with a passphrase-protected key, and a client certificate from a CA the
// server does not trust. Needs `openssl` on PATH.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  /** Encrypted with `clientKeyPassphrase`. */
  clientKeyFile: string;
  clientKeyPassphrase: string;
  /** Signed by a CA the server does not trust. */
  rogueCertFile: string;
  rogueKeyFile: string;
  read(file: string): string;
  remove(): void;
}

export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-test-certs-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => {
    try {
      return execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error('createTestCertificates needs the openssl command on PATH', {
          cause: error,
        });
      throw error;
    }
  };
  const passphrase = 'pass-phrase-for-test-key';
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];

  const authority = (name: string) =>
    openssl(
      'req',
      '-x509',
      ...ec,
      '-nodes',
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.crt`),
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
    );
  const issue = (ca: string, name: string, extensions: string, keyArgs: string[]) => {
    writeFileSync(path(`${name}.ext`), extensions);
    openssl(
      'req',
      ...ec,
      ...keyArgs,
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.csr`),
      '-subj',
      `/CN=${name}`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      path(`${name}.csr`),
      '-CA',
      path(`${ca}.crt`),
      '-CAkey',
      path(`${ca}.key`),
      '-CAcreateserial',
      '-out',
      path(`${name}.crt`),
      '-days',
      '2',
      '-extfile',
      path(`${name}.ext`),
    );
  };

  authority('test-ca');
  authority('rogue-ca');
  issue(
    'test-ca',
    'server',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    ['-nodes'],
  );
  issue('test-ca', 'agent', 'extendedKeyUsage=clientAuth\n', ['-passout', `pass:${passphrase}`]);
  issue('rogue-ca', 'rogue', 'extendedKeyUsage=clientAuth\n', ['-nodes']);

  return {
    dir,
    caFile: path('test-ca.crt'),
    serverCertFile: path('server.crt'),
    serverKeyFile: path('server.key'),
    clientCertFile: path('agent.crt'),
    clientKeyFile: path('agent.key'),
    clientKeyPassphrase: passphrase,
    rogueCertFile: path('rogue.crt'),
    rogueKeyFile: path('rogue.key'),
    read: (file) => readFileSync(file, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
