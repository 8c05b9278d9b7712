// Options and results of the operations a resource offers.
import type { ResourceEntry } from '../listing/resource-entry.js';

export interface OperationOptions {
  /** Aborting cancels the request in flight (McpCancelledError). */
  signal?: AbortSignal;
  /** Time budget of each request, in ms. */
  timeoutMs?: number;
}

export interface ReadOptions extends OperationOptions {
  /** Largest content accepted, in bytes (default: the resource's `maxBytes`). */
  maxBytes?: number;
  /** Skip the cache and read from the server. */
  fresh?: boolean;
}

export interface ListOptions extends OperationOptions {
  /** Entries of sub-directories too (default false: direct children only). */
  recursive?: boolean;
}

/** A value bound to a SQL placeholder. */
export type SqlParam = string | number | bigint | boolean | null | Date | Uint8Array | SqlParam[];

export interface ExecuteOptions extends OperationOptions {
  /** Values for `?` (or `$1`, `$2`, ...) placeholders, in order. */
  params?: SqlParam[];
}

/** What a SQL statement returned: rows as objects, with the row count and command where known. */
export interface SqlResult<Row = Record<string, unknown>> {
  rows: Row[];
  /** Rows affected or returned, where the server tells. */
  rowCount?: number;
  /** `SELECT`, `INSERT`, ... where the server tells. */
  command?: string;
  /** The server cut the rows short (a result-size limit of its own). */
  truncated?: boolean;
}

/** Rows of `execute`, with `rowCount` and `command` beside them. */
export type SqlRows<Row = Record<string, unknown>> = Row[] & {
  readonly rowCount?: number;
  readonly command?: string;
  readonly truncated?: boolean;
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRequestOptions extends OperationOptions {
  /** Query parameters (and path parameters, where the server's operation has them). */
  params?: Record<string, string | number | boolean>;
  /** A JSON body. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request a REST driver sends. */
export interface RestRequest extends RestRequestOptions {
  method: HttpMethod;
  path: string;
}

export interface KeyValueSetOptions extends OperationOptions {
  /** Expire the key after this many seconds. */
  ttlSeconds?: number;
}

export interface PublishReceipt {
  /** The topic (stream, channel, queue) the message went to, prefix included. */
  topic: string;
  /** The message id the server assigned, where it tells (a stream entry id, a job id). */
  id?: string;
}

export type { ResourceEntry };
