// A typed resource is a driver: a mapping of its operations onto the tools (or resources and
// templates) of the MCP server in front of the backend. `defineResourceDriver` describes one.
import {
  McpConfigError,
  type CallToolResult,
  type McpSession,
  type ServerCapabilities,
  type Tool,
} from '@tframex/mcp-api';
import type { ResourceContent } from '../content/resource-content.js';
import type { ResourceEntry } from '../listing/resource-entry.js';
import type { ResourceType } from '../resource-type.js';
import type {
  ExecuteOptions,
  KeyValueSetOptions,
  ListOptions,
  OperationOptions,
  PublishReceipt,
  ReadOptions,
  RestRequest,
  SqlResult,
} from './operation-options.js';

/** What a driver sees of the server when it is chosen. */
export interface DriverServerView {
  readonly tools: ReadonlyMap<string, Tool>;
  readonly capabilities: ServerCapabilities | undefined;
}

/** What a driver's operations are given to talk to the server. */
export interface DriverContext extends DriverServerView {
  readonly session: McpSession;
  readonly type: ResourceType | undefined;
  /** The `<name>` of `mcp://<server>/<name>` (percent-decoded). */
  readonly name: string;
  /** Its first `/`-segment: the database, bucket, API, store or queue system. */
  readonly instance: string;
  /** What follows the first segment: a key or topic prefix, a base path (may be empty). */
  readonly prefix: string;
  /** Largest content one read accepts, in bytes. */
  readonly maxBytes: number;
  readonly encryptTransport: boolean;
  /** Calls a tool; a result with `isError` rejects with McpToolError (the server's message). */
  call(
    tool: string,
    args: Record<string, unknown>,
    options?: OperationOptions,
  ): Promise<CallToolResult>;
  /**
   * Computes a value once per binding (until the server's tool list changes): a base
   * directory, a probed server flavour. A failed computation is forgotten.
   */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Reads a resource URI (size-checked, transport-checked) into one content. */
  readResource(uri: string, options?: ReadOptions): Promise<ResourceContent>;
}

/** The operations a driver may implement; MCPResource offers those its driver has. */
export interface DriverOperations {
  read?(context: DriverContext, path: string, options: ReadOptions): Promise<ResourceContent>;
  list?(context: DriverContext, path: string, options: ListOptions): AsyncIterable<ResourceEntry>;
  execute?(context: DriverContext, sql: string, options: ExecuteOptions): Promise<SqlResult>;
  get?(context: DriverContext, key: string, options: OperationOptions): Promise<unknown>;
  set?(
    context: DriverContext,
    key: string,
    value: unknown,
    options: KeyValueSetOptions,
  ): Promise<void>;
  delete?(context: DriverContext, key: string, options: OperationOptions): Promise<boolean>;
  request?(context: DriverContext, request: RestRequest): Promise<unknown>;
  publish?(
    context: DriverContext,
    topic: string,
    payload: unknown,
    options: OperationOptions,
  ): Promise<PublishReceipt>;
}

export type DriverOperation = keyof DriverOperations;

export const DRIVER_OPERATIONS: readonly DriverOperation[] = [
  'read',
  'list',
  'execute',
  'get',
  'set',
  'delete',
  'request',
  'publish',
];

export interface ResourceDriverSpec extends DriverOperations {
  /** Names the server flavour in messages (`mcp-postgres-server`). */
  name: string;
  /** The type it serves. */
  type: ResourceType;
  /** Tools the server must list for this driver to fit. */
  requires?: string[];
  /** A finer test than `requires` (both must pass). */
  matches?(server: DriverServerView): boolean;
}

export interface ResourceDriver extends DriverOperations {
  readonly name: string;
  readonly type: ResourceType;
  readonly requires: readonly string[];
  matches(server: DriverServerView): boolean;
}

/**
 * Describes how a resource type maps onto a server's tools:
 * `defineResourceDriver({ name, type, requires: ['run_sql'], execute: async (ctx, sql, o) => ... })`.
 */
export function defineResourceDriver(spec: ResourceDriverSpec): ResourceDriver {
  if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string' || !spec.name) {
    throw new McpConfigError('A resource driver needs a name', {
      field: 'name',
      expected: 'a non-empty string',
      received: (spec as { name?: unknown } | null)?.name,
    });
  }
  const operations = DRIVER_OPERATIONS.filter((op) => spec[op] !== undefined);
  for (const op of operations) {
    if (typeof spec[op] !== 'function') {
      throw new McpConfigError(`Operation ${op} of driver ${spec.name} is not a function`, {
        field: op,
        expected: 'a function',
        received: typeof spec[op],
      });
    }
  }
  if (operations.length === 0) {
    throw new McpConfigError(`Driver ${spec.name} implements no operation`, {
      field: 'operations',
      expected: `at least one of ${DRIVER_OPERATIONS.join(', ')}`,
    });
  }
  const requires = Object.freeze([...(spec.requires ?? [])]);
  const finer = spec.matches;
  const driver: ResourceDriver = {
    ...spec,
    requires,
    matches: (server) =>
      requires.every((tool) => server.tools.has(tool)) && (finer ? finer(server) : true),
  };
  return Object.freeze(driver);
}
