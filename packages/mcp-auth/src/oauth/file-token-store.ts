// FileTokenStore: tokens in one file, encrypted with AES-256-GCM under a key the user
// supplies (32 random bytes, or a passphrase stretched with scrypt). A wrong key or an
// edited file fails the authentication tag: nothing is read from a tampered file.
import type { StoredTokens, TokenStore } from '@tframex/mcp-auth-api';
import { McpSecurityError } from '@tframex/mcp-api';
import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scrypt as scryptCallback,
} from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { parseOptions } from '../internal/parse-options.js';
import { REDACTED, SecretHolder } from '../internal/secret-holder.js';

export interface FileTokenStoreOptions {
  /** The file; created with mode 0600 on first write. */
  path: string;
  /** 32 random bytes. Give this or `passphrase`. */
  key?: Uint8Array;
  /** A passphrase (12+ characters), stretched with scrypt and a per-file salt. */
  passphrase?: string;
}

const FORMAT = 'tframex-mcp-tokens';
const VERSION = 1;
const AAD = Buffer.from(`${FORMAT}/${VERSION}`);
// scrypt cost: about 50 ms of CPU on one passphrase, once per salt and process.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

const schema = z
  .strictObject({
    path: z.string({ error: 'a file path' }).min(1, { error: 'a non-empty file path' }),
    key: z
      .instanceof(Uint8Array, { error: '32 bytes (a Uint8Array or Buffer)' })
      .refine((value) => value.byteLength === 32, { error: 'exactly 32 bytes (AES-256)' })
      .optional(),
    passphrase: z
      .string({ error: 'a string' })
      .min(12, { error: 'at least 12 characters' })
      .optional(),
  })
  .refine((o) => (o.key === undefined) !== (o.passphrase === undefined), {
    error: 'given once: either key or passphrase',
    path: ['key'],
  });

const fileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  salt: z.string().optional(),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});

function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(passphrase, salt, 32, SCRYPT, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export class FileTokenStore extends SecretHolder implements TokenStore {
  readonly path: string;
  readonly #key: Buffer | undefined;
  readonly #passphrase: string | undefined;
  readonly #derived = new Map<string, Promise<Buffer>>();
  /** The file's salt: kept across writes so the passphrase is stretched once. */
  #salt: Buffer | undefined;
  /** Writes are serialized so concurrent sets never lose one another. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: FileTokenStoreOptions) {
    super();
    const o = parseOptions(schema, options, 'FileTokenStore options', ['key', 'passphrase']);
    this.path = o.path;
    this.#key = o.key ? Buffer.from(o.key) : undefined;
    this.#passphrase = o.passphrase;
  }

  get(key: string): Promise<StoredTokens | undefined> {
    return this.#serialized(async () => {
      const tokens = (await this.#read())[key];
      return tokens === undefined ? undefined : structuredClone(tokens);
    });
  }

  set(key: string, tokens: StoredTokens): Promise<void> {
    return this.#serialized(async () => {
      const all = await this.#read();
      all[key] = structuredClone(tokens);
      await this.#write(all);
    });
  }

  delete(key: string): Promise<void> {
    return this.#serialized(async () => {
      const all = await this.#read();
      if (!(key in all)) return;
      delete all[key];
      await this.#write(all);
    });
  }

  #serialized<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #keyFor(salt: Buffer | undefined): Promise<Buffer> {
    if (this.#key) return this.#key;
    const id = salt!.toString('base64');
    let derived = this.#derived.get(id);
    if (!derived) {
      derived = deriveKey(this.#passphrase!, salt!);
      this.#derived.set(id, derived);
    }
    return derived;
  }

  #unreadable(cause?: unknown): McpSecurityError {
    return new McpSecurityError(
      `the token file ${this.path} cannot be decrypted: wrong key, or the file was modified`,
      { rule: 'integrity', cause },
    );
  }

  async #read(): Promise<Record<string, StoredTokens>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    let envelope: z.output<typeof fileSchema>;
    try {
      envelope = fileSchema.parse(JSON.parse(text));
    } catch (cause) {
      throw this.#unreadable(cause);
    }
    if (this.#passphrase !== undefined && envelope.salt === undefined) throw this.#unreadable();
    const salt = envelope.salt !== undefined ? Buffer.from(envelope.salt, 'base64') : undefined;
    if (this.#passphrase !== undefined) this.#salt = salt;
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        await this.#keyFor(salt),
        Buffer.from(envelope.iv, 'base64'),
      );
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(envelope.data, 'base64')),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8')) as Record<string, StoredTokens>;
    } catch (cause) {
      throw this.#unreadable(cause);
    }
  }

  async #write(all: Record<string, StoredTokens>): Promise<void> {
    if (this.#passphrase !== undefined) this.#salt ??= randomBytes(16);
    const salt = this.#salt;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.#keyFor(salt), iv);
    cipher.setAAD(AAD);
    const data = Buffer.concat([cipher.update(JSON.stringify(all), 'utf8'), cipher.final()]);
    const envelope = {
      format: FORMAT,
      version: VERSION,
      ...(salt ? { salt: salt.toString('base64') } : {}),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    // Write beside, then rename: a crash never leaves half a file.
    const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify(envelope), { mode: 0o600 });
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  protected describe(): Record<string, unknown> {
    return { path: this.path, key: REDACTED };
  }
}
