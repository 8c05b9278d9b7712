// Encryption of cached content: AES-256-GCM with a key of this resource, or any object with
// `encrypt`/`decrypt` (a client's security policy has both).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { McpSecurityError } from '@tframex/mcp-api';

/** What encrypts cached content; MCPSecurity of @tframex/mcp-core fits. */
export interface AtRestEncryption {
  encrypt(plaintext: Uint8Array): Promise<string>;
  decrypt(token: string): Promise<Uint8Array>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under a 32-byte key. Token (base64url): IV (12) | ciphertext | tag (16).
 * Printing it never shows the key.
 */
export class AesGcmEncryption implements AtRestEncryption {
  readonly #key: Buffer;

  constructor(key: Uint8Array = randomBytes(32)) {
    if (key.byteLength !== 32) {
      throw new McpSecurityError('An AES-256-GCM key is 32 bytes', { rule: 'integrity' });
    }
    this.#key = Buffer.from(key);
  }

  async encrypt(plaintext: Uint8Array): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  async decrypt(token: string): Promise<Uint8Array> {
    const raw = Buffer.from(token, 'base64url');
    if (raw.byteLength < IV_BYTES + TAG_BYTES) {
      throw new McpSecurityError('Encrypted cache entry is truncated', { rule: 'integrity' });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(raw.byteLength - TAG_BYTES));
      const body = raw.subarray(IV_BYTES, raw.byteLength - TAG_BYTES);
      return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
    } catch (error) {
      throw new McpSecurityError('Encrypted cache entry failed its integrity check', {
        rule: 'integrity',
        cause: error,
      });
    }
  }

  toJSON(): string {
    return '[redacted]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'AesGcmEncryption [redacted]';
  }
}
