// Client-certificate material for mutual TLS, in the shape Node's TLS options take.

/** PEM text or raw bytes. */
export type PemData = string | Uint8Array;

export interface McpTlsMaterial {
  /** Client certificate chain (PEM). */
  cert?: PemData;
  /** Private key of the client certificate (PEM). */
  key?: PemData;
  /** Passphrase that unlocks `key`. */
  passphrase?: string;
  /** PKCS#12 bundle, as an alternative to `cert` + `key`. */
  pfx?: PemData;
  /** Certificate authorities to trust instead of the default set (PEM). */
  ca?: PemData | PemData[];
  /** Server name for SNI and certificate checks, when it differs from the URL's host. */
  servername?: string;
  /** `false` accepts any server certificate. Only for tests; never in production. */
  rejectUnauthorized?: boolean;
}
