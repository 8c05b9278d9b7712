// CertAuth: a client certificate for mutual TLS. `tls()` reads the files, unlocks and checks
// the key against the certificate, and hands the material to the HTTP stack (core's undici
// Agent, or createTlsFetch). Files are read on each call, so a rotated certificate is
// picked up by the next connection pool.
import type { McpAuthPlugin, McpTlsMaterial, PemData } from '@tframex/mcp-auth-api';
import { McpAuthError } from '@tframex/mcp-api';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseOptions } from '../internal/parse-options.js';
import { REDACTED, SecretHolder } from '../internal/secret-holder.js';

export interface CertAuthOptions {
  /** Path of the client certificate chain (PEM). Or give `cert`. */
  certFile?: string;
  /** The client certificate chain (PEM). */
  cert?: PemData;
  /** Path of the certificate's private key (PEM). Or give `key`. */
  keyFile?: string;
  /** The private key (PEM). */
  key?: PemData;
  /** Unlocks an encrypted private key. */
  passphrase?: string;
  /** Path(s) of CA certificates to trust instead of the default set (PEM). Or give `ca`. */
  caBundle?: string | string[];
  /** CA certificates to trust instead of the default set (PEM). */
  ca?: PemData | PemData[];
  /** Server name for SNI and the certificate check, when it differs from the URL's host. */
  servername?: string;
}

const pem = z.union([z.string().min(1), z.instanceof(Uint8Array)], {
  error: 'PEM text or bytes',
});
const path = z.string({ error: 'a file path' }).min(1, { error: 'a non-empty file path' });

const schema = z
  .strictObject({
    certFile: path.optional(),
    cert: pem.optional(),
    keyFile: path.optional(),
    key: pem.optional(),
    passphrase: z.string({ error: 'a string' }).optional(),
    caBundle: z
      .union([path, z.array(path).min(1)], { error: 'a file path or a list of them' })
      .optional(),
    ca: z
      .union([pem, z.array(pem).min(1)], { error: 'PEM text or bytes, or a list of them' })
      .optional(),
    servername: z.string({ error: 'a host name' }).min(1, { error: 'a host name' }).optional(),
  })
  .refine((o) => (o.certFile === undefined) !== (o.cert === undefined), {
    error: 'given once: either certFile or cert',
    path: ['certFile'],
  })
  .refine((o) => (o.keyFile === undefined) !== (o.key === undefined), {
    error: 'given once: either keyFile or key',
    path: ['keyFile'],
  })
  .refine((o) => o.caBundle === undefined || o.ca === undefined, {
    error: 'given once: either caBundle or ca',
    path: ['caBundle'],
  });

type Parsed = z.output<typeof schema>;

async function readPem(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw new McpAuthError(`CertAuth: cannot read the ${what} file ${file}`, {
      reason: 'tls',
      cause,
    });
  }
}

export class CertAuth extends SecretHolder implements McpAuthPlugin {
  readonly name = 'cert';
  readonly #options: Parsed;

  constructor(options: CertAuthOptions) {
    super();
    this.#options = parseOptions(schema, options, 'CertAuth options', [
      'cert',
      'key',
      'passphrase',
    ]);
  }

  /** Reads and checks the certificate material. Throws McpAuthError (reason `tls`) when unusable. */
  async tls(): Promise<McpTlsMaterial> {
    const o = this.#options;
    const cert = o.certFile !== undefined ? await readPem(o.certFile, 'certificate') : o.cert!;
    const key = o.keyFile !== undefined ? await readPem(o.keyFile, 'private key') : o.key!;
    let ca: PemData | PemData[] | undefined = o.ca;
    if (o.caBundle !== undefined) {
      const files = Array.isArray(o.caBundle) ? o.caBundle : [o.caBundle];
      ca = await Promise.all(files.map((file) => readPem(file, 'CA bundle')));
    }

    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({
        key: typeof key === 'string' ? key : Buffer.from(key),
        ...(o.passphrase !== undefined ? { passphrase: o.passphrase } : {}),
      });
    } catch (cause) {
      throw new McpAuthError(
        o.passphrase === undefined
          ? 'CertAuth: the private key cannot be read (is it encrypted? pass its passphrase)'
          : 'CertAuth: the private key cannot be read with the given passphrase',
        { reason: 'tls', cause },
      );
    }
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(typeof cert === 'string' ? cert : Buffer.from(cert));
    } catch (cause) {
      throw new McpAuthError('CertAuth: the certificate is not a PEM X.509 certificate', {
        reason: 'tls',
        cause,
      });
    }
    if (!certificate.checkPrivateKey(privateKey)) {
      throw new McpAuthError('CertAuth: the private key does not belong to the certificate', {
        reason: 'tls',
      });
    }

    const material: McpTlsMaterial = { cert, key };
    if (o.passphrase !== undefined) material.passphrase = o.passphrase;
    if (ca !== undefined) material.ca = ca;
    if (o.servername !== undefined) material.servername = o.servername;
    return material;
  }

  protected describe(): Record<string, unknown> {
    const o = this.#options;
    return {
      name: this.name,
      cert: o.certFile ?? '[pem]',
      key: o.keyFile ?? REDACTED,
      ...(o.passphrase !== undefined ? { passphrase: REDACTED } : {}),
      ...(o.caBundle !== undefined ? { caBundle: o.caBundle } : {}),
      ...(o.ca !== undefined ? { ca: '[pem]' } : {}),
      ...(o.servername !== undefined ? { servername: o.servername } : {}),
    };
  }
}
