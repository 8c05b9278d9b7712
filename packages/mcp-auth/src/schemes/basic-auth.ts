// BasicAuth: RFC 7617 `Authorization: Basic base64(user:password)`, UTF-8 encoded.
import type { McpAuthPlugin, McpAuthRequest } from '@tframex/mcp-auth-api';
import { z } from 'zod';
import { parseOptions } from '../internal/parse-options.js';
import { REDACTED, SecretHolder } from '../internal/secret-holder.js';

export interface BasicAuthOptions {
  username: string;
  password: string;
}

// RFC 7617 forbids a colon in the user-id and control characters in either part.
const hasNoControl = (value: string): boolean =>
  [...value].every((ch) => ch.charCodeAt(0) > 0x1f && ch.charCodeAt(0) !== 0x7f);

const schema = z.strictObject({
  username: z
    .string({ error: 'a string' })
    .min(1, { error: 'a non-empty string' })
    .refine((value) => !value.includes(':') && hasNoControl(value), {
      error: 'a user name without ":" or control characters (RFC 7617)',
    }),
  password: z
    .string({ error: 'a string' })
    .refine(hasNoControl, { error: 'a password without control characters' }),
});

function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export class BasicAuth extends SecretHolder implements McpAuthPlugin {
  readonly name = 'basic';
  readonly username: string;
  readonly #value: string;

  constructor(options: BasicAuthOptions) {
    super();
    const parsed = parseOptions(schema, options, 'BasicAuth options', ['password']);
    this.username = parsed.username;
    this.#value = `Basic ${base64Utf8(`${parsed.username}:${parsed.password}`)}`;
  }

  headers(_request: McpAuthRequest): Record<string, string> {
    return { Authorization: this.#value };
  }

  protected describe(): Record<string, unknown> {
    return { name: this.name, username: this.username, password: REDACTED };
  }
}
