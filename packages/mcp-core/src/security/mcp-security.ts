// MCPSecurity: the security policy of a client, in one object: which servers it may talk to
// and how, what it accepts back from them, and how it signs and encrypts what it must.
import { z } from 'zod';
import { McpConfigError, McpSecurityError, type CallToolResult, type Tool } from '@tframex/mcp-api';
import { configError, type ConfigProblem } from '../config/config-problem.js';
import { durationMs, wholeNumber } from '../config/option-schemas.js';
import { parseOptions } from '../config/parse-options.js';
import { AtRestCipher, type EncryptionKey } from './at-rest-cipher.js';
import {
  MCP_SIGNATURE_HEADER,
  signBody,
  type SigningKey,
  verifyBodySignature,
} from './body-signature.js';
import { isLoopbackHost } from './is-loopback-host.js';
import { limitResponseSize } from './limit-response-size.js';
import {
  assertSchemaWithinLimits,
  DEFAULT_MAX_SCHEMA_DEPTH,
  DEFAULT_MAX_SCHEMA_NODES,
} from './schema-limits.js';
import { SchemaValidatorCache } from './schema-validator-cache.js';
import { compileServerAllowList, type ServerAllowList } from './server-allow-list.js';

export interface MCPSecurityOptions {
  /**
   * Servers the client may connect to; empty or absent allows all. Host patterns
   * (`api.example.com`, `*.example.com`, `127.0.0.1:*`), URL prefixes
   * (`https://api.example.com/mcp`), command names (`npx`) and absolute command paths
   * (`/opt/mcp/bin/*`). See `compileServerAllowList`.
   */
  allowedServers?: string[];
  /** Refuse plain `http:` except to loopback hosts (default true). */
  encryptTransport?: boolean;
  /** Validate tool arguments before sending and structured results after (default true). */
  validateSchemas?: boolean;
  /** Shared HMAC-SHA256 key for `signBody` (at least 32 bytes; strings count as UTF-8). */
  signingKey?: string | Uint8Array;
  /** 32 raw bytes, or a passphrase (at least 12 characters) for `encrypt`/`decrypt`. */
  encryptionKey?: string | Uint8Array;
  /** Largest response body accepted, in bytes (default: no limit). */
  maxResponseBytes?: number;
  /** Deepest nesting of a server's JSON Schema (default 64). */
  maxSchemaDepth?: number;
  /** Most values in a server's JSON Schema (default 20 000). */
  maxSchemaNodes?: number;
  /** Accepted clock difference when verifying signatures (default 300 000). */
  signatureToleranceMs?: number;
}

const bytesLike = (value: unknown): value is Uint8Array => value instanceof Uint8Array;
const byteLength = (value: string | Uint8Array) =>
  typeof value === 'string' ? new TextEncoder().encode(value).byteLength : value.byteLength;

/** The zod schema of MCPSecurityOptions; MCPConfig nests it under `security`. */
export const MCPSecurityOptionsSchema = z.strictObject({
  allowedServers: z
    .array(z.string({ error: 'a host pattern, URL prefix or command' }), {
      error: 'a list of host patterns, URL prefixes or commands',
    })
    .max(10_000)
    .optional(),
  encryptTransport: z.boolean({ error: 'true or false' }).optional(),
  validateSchemas: z.boolean({ error: 'true or false' }).optional(),
  signingKey: z
    .union([z.string(), z.custom<Uint8Array>(bytesLike)], { error: 'a key of at least 32 bytes' })
    .refine((key) => byteLength(key) >= 32, { error: 'a key of at least 32 bytes' })
    .optional(),
  encryptionKey: z
    .union([z.string(), z.custom<Uint8Array>(bytesLike)], {
      error: '32 raw key bytes, or a passphrase of at least 12 characters',
    })
    .refine((key) => (typeof key === 'string' ? key.length >= 12 : key.byteLength === 32), {
      error: '32 raw key bytes, or a passphrase of at least 12 characters',
    })
    .optional(),
  maxResponseBytes: wholeNumber(1, Number.MAX_SAFE_INTEGER, 'bytes').optional(),
  maxSchemaDepth: wholeNumber(1, 10_000).optional(),
  maxSchemaNodes: wholeNumber(1, 100_000_000).optional(),
  signatureToleranceMs: durationMs(0).optional(),
});

/** Origin and path of a URL, for messages: query strings may carry secrets. */
const shown = (url: URL) => `${url.origin}${url.pathname}`;

function toUrl(value: string | URL, base?: URL): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/** Stamp of MCPSecurity instances; shared by every copy of this package in a process. */
const BRAND = Symbol.for('@tframex/mcp-core/MCPSecurity');

export class MCPSecurity {
  /**
   * Whether `value` is an MCPSecurity, also one made by another copy of this package (where
   * `instanceof` would say no).
   */
  static isInstance(value: unknown): value is MCPSecurity {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true
    );
  }

  readonly encryptTransport: boolean;
  readonly validateSchemas: boolean;
  readonly maxResponseBytes: number | undefined;
  readonly maxSchemaDepth: number;
  readonly maxSchemaNodes: number;
  readonly #allowList: ServerAllowList;
  readonly #signingKey: SigningKey | undefined;
  readonly #cipher: AtRestCipher | undefined;
  readonly #signatureToleranceMs: number;
  readonly #validators = new SchemaValidatorCache();

  constructor(options: MCPSecurityOptions = {}, settings: { prefix?: string } = {}) {
    const subject = 'MCPSecurity options';
    const parsed = parseOptions(MCPSecurityOptionsSchema, options, {
      subject,
      prefix: settings.prefix,
    });
    const { list, problems } = compileServerAllowList(parsed.allowedServers ?? []);
    if (problems.length > 0) {
      const field = (index: number) =>
        [settings.prefix, `allowedServers.${index}`].filter(Boolean).join('.');
      throw configError(
        subject,
        problems.map<ConfigProblem>(({ index, reason }) => ({
          field: field(index),
          expected: `a host pattern, URL prefix or command (${reason})`,
          received: parsed.allowedServers?.[index],
        })),
      );
    }
    this.#allowList = list;
    this.encryptTransport = parsed.encryptTransport ?? true;
    this.validateSchemas = parsed.validateSchemas ?? true;
    this.maxResponseBytes = parsed.maxResponseBytes;
    this.maxSchemaDepth = parsed.maxSchemaDepth ?? DEFAULT_MAX_SCHEMA_DEPTH;
    this.maxSchemaNodes = parsed.maxSchemaNodes ?? DEFAULT_MAX_SCHEMA_NODES;
    this.#signingKey = parsed.signingKey;
    this.#cipher =
      parsed.encryptionKey === undefined
        ? undefined
        : new AtRestCipher(parsed.encryptionKey as EncryptionKey);
    this.#signatureToleranceMs = parsed.signatureToleranceMs ?? 300_000;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Whether a `signingKey` was given (so `signBody` and `verifyBody` work). */
  get canSign(): boolean {
    return this.#signingKey !== undefined;
  }

  /** Whether an `encryptionKey` was given (so `encrypt` and `decrypt` work). */
  get canEncrypt(): boolean {
    return this.#cipher !== undefined;
  }

  /** Whether `allowedServers` restricts anything. */
  get restrictsServers(): boolean {
    return !this.#allowList.allowsAll;
  }

  /**
   * Checks a server URL against the policy and returns it parsed. Refusals: not an http(s)
   * URL or not on `allowedServers` (rule `allowed-servers`); plain http: to a host that is not
   * loopback while `encryptTransport` holds (rule `encrypt-transport`).
   */
  checkUrl(url: string | URL, context: { server?: string } = {}): URL {
    const parsed = toUrl(url);
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new McpSecurityError(
        `Refused server URL ${parsed ? shown(parsed) : JSON.stringify(String(url).slice(0, 100))}: only http: and https: URLs are MCP servers`,
        { rule: 'allowed-servers', server: context.server },
      );
    }
    if (!this.#allowList.allowsUrl(parsed)) {
      throw new McpSecurityError(`Refused server URL ${shown(parsed)}: not on allowedServers`, {
        rule: 'allowed-servers',
        server: context.server,
      });
    }
    if (this.encryptTransport && parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
      throw new McpSecurityError(
        `Refused server URL ${shown(parsed)}: plain http: is allowed only to loopback hosts while encryptTransport is on; use https:`,
        { rule: 'encrypt-transport', server: context.server },
      );
    }
    return parsed;
  }

  /**
   * Checks one redirect hop (fits `createAuthFetch`'s `onRedirect`). Refused (rule
   * `redirect`, the specific refusal as `cause`): a downgrade from https: to http:, or a
   * target `checkUrl` refuses.
   */
  checkRedirect(from: string | URL, to: string | URL, context: { server?: string } = {}): void {
    const source = toUrl(from);
    const target = toUrl(to, source);
    const refuse = (why: string, cause?: unknown) =>
      new McpSecurityError(
        `Refused redirect from ${source ? shown(source) : 'an invalid URL'} to ${target ? shown(target) : 'an invalid URL'}: ${why}`,
        { rule: 'redirect', server: context.server, cause },
      );
    if (!source || !target) throw refuse('not a valid URL');
    if (source.protocol === 'https:' && target.protocol === 'http:')
      throw refuse('it downgrades https: to http:');
    try {
      this.checkUrl(target, context);
    } catch (error) {
      throw refuse(McpSecurityError.isInstance(error) ? `${error.rule}` : 'refused', error);
    }
  }

  /**
   * Checks the command of a stdio server against `allowedServers`: names match commands
   * given by name, absolute paths (with `*` globs) match commands given by path, resolved
   * against `cwd`. Refusals use rule `allowed-servers`.
   */
  checkCommand(command: string, context: { cwd?: string; server?: string } = {}): void {
    if (typeof command !== 'string' || command.length === 0 || command.includes('\0')) {
      throw new McpSecurityError('Refused command: not a valid command', {
        rule: 'allowed-servers',
        server: context.server,
      });
    }
    if (!this.#allowList.allowsCommand(command, context.cwd)) {
      throw new McpSecurityError(
        `Refused command ${JSON.stringify(command.slice(0, 200))}: not on allowedServers`,
        {
          rule: 'allowed-servers',
          server: context.server,
        },
      );
    }
  }

  /** Refuses (rule `schema-depth`) a schema deeper or larger than the limits. */
  checkSchema(schema: unknown, context: { tool?: string; server?: string } = {}): void {
    assertSchemaWithinLimits(
      schema,
      { maxDepth: this.maxSchemaDepth, maxNodes: this.maxSchemaNodes },
      context,
    );
  }

  /**
   * Checks arguments against the tool's input schema before sending (when
   * `validateSchemas`). Refusals: rule `schema-validation` naming each mismatch, or
   * `schema-depth` for a schema past the limits.
   */
  validateArguments(
    tool: Pick<Tool, 'name' | 'inputSchema'>,
    args: unknown,
    context: { server?: string } = {},
  ): void {
    if (!this.validateSchemas) return;
    this.#validate(
      tool.inputSchema,
      args ?? {},
      { tool: tool.name, server: context.server },
      'input',
    );
  }

  /**
   * Checks a result against the tool's output schema (when `validateSchemas`): a tool that
   * declares `outputSchema` must return matching `structuredContent`. Error results
   * (`isError: true`) are not checked.
   */
  validateResult(
    tool: Pick<Tool, 'name' | 'outputSchema'>,
    result: Pick<CallToolResult, 'structuredContent' | 'isError'>,
    context: { server?: string } = {},
  ): void {
    if (!this.validateSchemas || !tool.outputSchema || result.isError) return;
    if (result.structuredContent === undefined) {
      throw new McpSecurityError(
        `Tool "${tool.name}" declares an output schema but returned no structuredContent`,
        {
          rule: 'schema-validation',
          server: context.server,
        },
      );
    }
    this.#validate(
      tool.outputSchema,
      result.structuredContent,
      { tool: tool.name, server: context.server },
      'output',
    );
  }

  /** Refuses (rule `response-size`) a body of more than `maxResponseBytes`. */
  checkResponseSize(byteLength: number, context: { server?: string } = {}): void {
    if (this.maxResponseBytes !== undefined && byteLength > this.maxResponseBytes) {
      throw new McpSecurityError(
        `The response (${byteLength} bytes) exceeds maxResponseBytes (${this.maxResponseBytes})`,
        {
          rule: 'response-size',
          server: context.server,
        },
      );
    }
  }

  /** The response with its body capped at `maxResponseBytes` (unchanged when there is no limit). */
  limitResponse(response: Response, context: { server?: string } = {}): Response {
    return this.maxResponseBytes === undefined
      ? response
      : limitResponseSize(response, this.maxResponseBytes, context.server);
  }

  /** The `X-MCP-Signature` value for `body` (see `signBody`); needs `signingKey`. */
  signBody(body: string | Uint8Array, options: { timestampMs?: number } = {}): string {
    return signBody(body, this.#requireSigningKey(), options);
  }

  /** `{ 'x-mcp-signature': value }` for `body`, to merge into a request's headers. */
  signatureHeaders(
    body: string | Uint8Array,
    options: { timestampMs?: number } = {},
  ): Record<string, string> {
    return { [MCP_SIGNATURE_HEADER]: this.signBody(body, options) };
  }

  /** Throws McpSecurityError (rule `signature`) unless `header` is a valid, fresh signature of `body`. */
  verifyBody(
    body: string | Uint8Array,
    header: string | null | undefined,
    options: { nowMs?: number } = {},
  ): void {
    const verdict = verifyBodySignature(body, header, this.#requireSigningKey(), {
      toleranceMs: this.#signatureToleranceMs,
      nowMs: options.nowMs,
    });
    if (verdict !== 'ok') {
      throw new McpSecurityError(`Request signature refused: ${verdict}`, { rule: 'signature' });
    }
  }

  /** AES-256-GCM encryption of `plaintext` (see AtRestCipher); needs `encryptionKey`. */
  encrypt(plaintext: string | Uint8Array): Promise<string> {
    return this.#requireCipher().encrypt(plaintext);
  }

  /** Decrypts a token from `encrypt`; a tampered token is refused (rule `integrity`). */
  decrypt(token: string): Promise<Uint8Array> {
    return this.#requireCipher().decrypt(token);
  }

  decryptString(token: string): Promise<string> {
    return this.#requireCipher().decryptString(token);
  }

  #validate(
    schema: unknown,
    value: unknown,
    context: { tool: string; server?: string },
    what: 'input' | 'output',
  ): void {
    if (typeof schema !== 'object' || schema === null) {
      if (schema === true || schema === undefined) return;
      throw new McpSecurityError(`Tool "${context.tool}" has no usable schema`, {
        rule: 'schema-validation',
        server: context.server,
      });
    }
    this.checkSchema(schema, context);
    const check = this.#validators.validatorFor(schema, context);
    const result = check(value);
    if (!result.valid) {
      throw new McpSecurityError(
        what === 'input'
          ? `The arguments for tool "${context.tool}" do not match its input schema: ${result.errorMessage}`
          : `The result of tool "${context.tool}" does not match its output schema: ${result.errorMessage}`,
        {
          rule: 'schema-validation',
          server: context.server,
        },
      );
    }
  }

  #requireSigningKey(): SigningKey {
    if (this.#signingKey === undefined) {
      throw new McpConfigError('Signing needs MCPSecurity option signingKey', {
        field: 'signingKey',
        expected: 'a key of at least 32 bytes',
      });
    }
    return this.#signingKey;
  }

  #requireCipher(): AtRestCipher {
    if (!this.#cipher) {
      throw new McpConfigError('Encryption needs MCPSecurity option encryptionKey', {
        field: 'encryptionKey',
        expected: '32 raw key bytes, or a passphrase of at least 12 characters',
      });
    }
    return this.#cipher;
  }
}
