// Whether a PEM private key opens with a passphrase: checked once where options are parsed,
// so a wrong passphrase is a config error there and not a TLS failure on every request.
import { createPrivateKey } from 'node:crypto';

/**
 * True when `key` (PEM) can be read with `passphrase` (an unencrypted key reads with any; an
 * encrypted one without a passphrase does not).
 */
export function clientKeyDecrypts(
  key: string | Uint8Array,
  passphrase: string | undefined,
): boolean {
  try {
    createPrivateKey({
      key: typeof key === 'string' ? key : Buffer.from(key),
      ...(passphrase !== undefined ? { passphrase } : {}),
    });
    return true;
  } catch {
    return false;
  }
}
