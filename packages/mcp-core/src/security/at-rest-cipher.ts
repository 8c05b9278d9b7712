// Authenticated encryption (AES-256-GCM) for what a client keeps at rest: cached results,
// tokens, session state. Every token carries what decryption needs except the key.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { McpSecurityError } from '@tframex/mcp-api';

/** 32 raw key bytes, or a passphrase that scrypt turns into a key. */
export type EncryptionKey = string | Uint8Array;

const VERSION = 1;
const KIND_RAW = 0;
const KIND_SCRYPT = 1;
const SCRYPT_COST_LOG2 = 15;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_CACHED_KEYS = 16;

function deriveKey(passphrase: string, salt: Uint8Array, costLog2: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase,
      salt,
      32,
      { N: 2 ** costLog2, r: 8, p: 1, maxmem: 256 * 2 ** costLog2 * 8 + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

function refused(message: string, cause?: unknown): McpSecurityError {
  return new McpSecurityError(message, { rule: 'integrity', cause });
}

/**
 * Token layout (base64url): version (1) | kind (1: 0 raw key, 1 scrypt) | [scrypt: cost
 * log2 (1) | salt (16)] | IV (12) | ciphertext | GCM tag (16). The header bytes are
 * authenticated too, so no part of a token can be altered unnoticed.
 */
export class AtRestCipher {
  readonly #rawKey: Buffer | undefined;
  readonly #passphrase: string | undefined;
  readonly #derived = new Map<string, Promise<Buffer>>();
  #salt: Buffer | undefined;

  /** A Uint8Array must hold exactly 32 bytes; a string is a passphrase (scrypt, N = 2^15). */
  constructor(key: EncryptionKey) {
    if (typeof key === 'string') this.#passphrase = key;
    else this.#rawKey = Buffer.from(key);
  }

  /** Encrypts `plaintext` (strings as UTF-8) with a fresh random IV. */
  async encrypt(plaintext: string | Uint8Array): Promise<string> {
    let header: Buffer;
    let key: Buffer;
    if (this.#rawKey) {
      header = Buffer.from([VERSION, KIND_RAW]);
      key = this.#rawKey;
    } else {
      this.#salt ??= randomBytes(SALT_BYTES);
      header = Buffer.concat([Buffer.from([VERSION, KIND_SCRYPT, SCRYPT_COST_LOG2]), this.#salt]);
      key = await this.#keyFor(this.#salt, SCRYPT_COST_LOG2);
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(header);
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([header, iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
  }

  /**
   * Decrypts a token from `encrypt`. A token that was altered, made with another key, or is
   * not a token at all is refused with McpSecurityError (rule `integrity`).
   */
  async decrypt(token: string): Promise<Uint8Array> {
    const bytes =
      typeof token === 'string' && /^[A-Za-z0-9_-]*$/.test(token)
        ? Buffer.from(token, 'base64url')
        : undefined;
    if (!bytes || bytes.length < 2 || bytes[0] !== VERSION)
      throw refused('Not an encrypted token of a known version');
    let offset = 2;
    let key: Buffer;
    if (bytes[1] === KIND_RAW && this.#rawKey) {
      key = this.#rawKey;
    } else if (
      bytes[1] === KIND_SCRYPT &&
      this.#passphrase !== undefined &&
      bytes.length > 3 + SALT_BYTES
    ) {
      const costLog2 = bytes[2] as number;
      if (costLog2 < 10 || costLog2 > 16)
        throw refused('The token names an unsupported key-derivation cost');
      key = await this.#keyFor(bytes.subarray(3, 3 + SALT_BYTES), costLog2);
      offset = 3 + SALT_BYTES;
    } else {
      throw refused('The token was encrypted with another kind of key (raw key vs passphrase)');
    }
    if (bytes.length < offset + IV_BYTES + TAG_BYTES)
      throw refused('The encrypted token is truncated');
    const header = bytes.subarray(0, offset);
    const iv = bytes.subarray(offset, offset + IV_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const ciphertext = bytes.subarray(offset + IV_BYTES, bytes.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(header);
      decipher.setAuthTag(tag);
      return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
    } catch (error) {
      throw refused(
        'The encrypted token failed authentication: altered, or made with another key',
        error,
      );
    }
  }

  /** `decrypt`, read as UTF-8. */
  async decryptString(token: string): Promise<string> {
    return Buffer.from(await this.decrypt(token)).toString('utf8');
  }

  #keyFor(salt: Uint8Array, costLog2: number): Promise<Buffer> {
    const id = `${costLog2}:${Buffer.from(salt).toString('hex')}`;
    let key = this.#derived.get(id);
    if (!key) {
      key = deriveKey(this.#passphrase as string, salt, costLog2);
      if (this.#derived.size >= MAX_CACHED_KEYS)
        this.#derived.delete(this.#derived.keys().next().value as string);
      this.#derived.set(id, key);
      key.catch(() => this.#derived.delete(id));
    }
    return key;
  }
}
