// MCPResource options, validated once at the edge.
import { McpConfigError, parseMcpUri, type McpUri } from '@tframex/mcp-api';
import * as z from 'zod';
import { DEFAULT_MAX_BYTES } from '../content/size-limit.js';
import type { CacheStore } from '../cache/resource-cache.js';
import type { AtRestEncryption } from '../cache/at-rest-encryption.js';
import type { ResourceDriver } from '../drivers/resource-driver.js';
import { RESOURCE_TYPES, type ResourceType } from '../resource-type.js';
import { isSession, isToolSource, type McpResourceClient } from '../session/resource-client.js';

export interface ResourceCacheOptions {
  /**
   * How long a read stays fresh when the server gives no cache hint, in ms (default 0: only
   * results the server marks with `ttlMs` are kept, for as long as it says).
   */
  ttlMs?: number;
  /** Most entries kept (default 1000); the least recently used goes first. */
  maxEntries?: number;
  /** Where entries live (default: a Map of this resource). */
  store?: CacheStore;
}

export interface MCPResourceOptions {
  /** An McpSession (MCPClient, MCPTestClient) or an McpToolSource (then the URI's server picks one). */
  client: McpResourceClient;
  /** `mcp://<server>/<name>`; what `<name>` means depends on `type` (see the README). */
  uri: string;
  /** A typed resource; omitted for a generic one. */
  type?: ResourceType;
  /** Drivers tried before the built-in ones of `type` (see `defineResourceDriver`). */
  drivers?: ResourceDriver[];
  /** Caching of reads; `false` turns it off, even for results the server marks cacheable. */
  cache?: ResourceCacheOptions | false;
  /** Refuse plain `http:`/`ws:` resource URIs and REST base URLs, except to loopback hosts. */
  encryptTransport?: boolean;
  /** Keep cached content encrypted (AES-256-GCM). */
  encryptAtRest?: boolean;
  /**
   * Encrypts what `encryptAtRest` keeps: an object with `encrypt`/`decrypt` (such as a
   * client's security policy), or 32 raw key bytes. Default: a random key held by this resource.
   */
  encryption?: AtRestEncryption | Uint8Array;
  /** Largest content one read accepts, in bytes (default 32 MiB). */
  maxBytes?: number;
  /** Time budget of each request, in ms (default: the session's). */
  timeoutMs?: number;
  /** Receives errors of watch listeners, which never stop other listeners (default: console.error). */
  onError?: (error: unknown) => void;
}

export interface ParsedResourceOptions {
  readonly client: McpResourceClient;
  readonly uri: McpUri;
  readonly type: ResourceType | undefined;
  readonly drivers: readonly ResourceDriver[];
  readonly cache: false | { ttlMs: number; maxEntries: number; store?: CacheStore };
  readonly encryptTransport: boolean;
  readonly encryptAtRest: boolean;
  readonly encryption: AtRestEncryption | Uint8Array | undefined;
  readonly maxBytes: number;
  readonly timeoutMs: number | undefined;
  readonly onError: (error: unknown) => void;
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
  error: 'a function',
});
const driverSchema = z.custom<ResourceDriver>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as ResourceDriver).name === 'string' &&
    typeof (v as ResourceDriver).matches === 'function',
  { error: 'a driver from defineResourceDriver' },
);

const schema = z.strictObject({
  client: z.custom<McpResourceClient>((v) => isSession(v) || isToolSource(v), {
    error: 'an McpSession (MCPClient, MCPTestClient) or an McpToolSource',
  }),
  uri: z.string({ error: 'an mcp://<server>/<name> URI' }),
  type: z
    .enum(RESOURCE_TYPES, { error: `one of ${RESOURCE_TYPES.join(', ')} (or omitted)` })
    .optional(),
  drivers: z.array(driverSchema, { error: 'a list of drivers' }).optional(),
  cache: z
    .union(
      [
        z.literal(false),
        z.strictObject({
          ttlMs: z.number().min(0, { error: 'milliseconds, 0 or more' }).optional(),
          maxEntries: z.int().min(1, { error: 'a whole number, 1 or more' }).optional(),
          store: z
            .custom<CacheStore>(
              (v) =>
                typeof v === 'object' &&
                v !== null &&
                typeof (v as CacheStore).get === 'function' &&
                typeof (v as CacheStore).set === 'function',
              { error: 'a Map-like store' },
            )
            .optional(),
        }),
      ],
      { error: 'false or { ttlMs, maxEntries, store }' },
    )
    .optional(),
  encryptTransport: z.boolean({ error: 'true or false' }).optional(),
  encryptAtRest: z.boolean({ error: 'true or false' }).optional(),
  encryption: z
    .union(
      [
        z.custom<Uint8Array>((v) => v instanceof Uint8Array && v.byteLength === 32),
        z.custom<AtRestEncryption>(
          (v) =>
            typeof v === 'object' &&
            v !== null &&
            typeof (v as AtRestEncryption).encrypt === 'function' &&
            typeof (v as AtRestEncryption).decrypt === 'function',
        ),
      ],
      { error: '32 raw key bytes, or an object with encrypt() and decrypt()' },
    )
    .optional(),
  maxBytes: z.int().min(1, { error: 'a whole number of bytes, 1 or more' }).optional(),
  timeoutMs: z.number().positive({ error: 'a positive number of milliseconds' }).optional(),
  onError: fn.optional(),
});

/** Validates MCPResource options; problems become one McpConfigError naming every field. */
export function parseResourceOptions(options: MCPResourceOptions): ParsedResourceOptions {
  const result = schema.safeParse(options);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      const field = issue.path.map(String).join('.') || 'options';
      return {
        field,
        expected: issue.message,
        received: field === 'client' ? typeof (options as { client?: unknown }).client : undefined,
      };
    });
    throw new McpConfigError(
      `Invalid MCPResource options: ${issues.map((i) => `${i.field}: expected ${i.expected}`).join('; ')}`,
      { issues, ...issues[0] },
    );
  }
  const parsed = result.data;
  const uri = parseMcpUri(parsed.uri);
  if (uri.wildcard) {
    throw new McpConfigError('An MCPResource URI names one resource, not mcp://<server>/*', {
      field: 'uri',
      expected: 'mcp://<server>/<name>',
      received: parsed.uri,
    });
  }
  const cache =
    parsed.cache === false
      ? false
      : {
          ttlMs: parsed.cache?.ttlMs ?? 0,
          maxEntries: parsed.cache?.maxEntries ?? 1000,
          ...(parsed.cache?.store ? { store: parsed.cache.store } : {}),
        };
  return {
    client: parsed.client,
    uri,
    type: parsed.type,
    drivers: parsed.drivers ?? [],
    cache,
    encryptTransport: parsed.encryptTransport ?? false,
    encryptAtRest: parsed.encryptAtRest ?? false,
    encryption: parsed.encryption,
    maxBytes: parsed.maxBytes ?? DEFAULT_MAX_BYTES,
    timeoutMs: parsed.timeoutMs,
    onError:
      (parsed.onError as ((error: unknown) => void) | undefined) ??
      ((error: unknown) => console.error('MCPResource listener failed:', error)),
  };
}
