// @tframex/mcp-resources: MCPResource, generic MCP resources and typed drivers (SQL, files,
// REST, key-value, queues) over any McpSession or McpToolSource.
export { MCPResource } from './mcp-resource.js';
export type { WatchOptions } from './mcp-resource.js';
export type { MCPResourceOptions, ResourceCacheOptions } from './options/resource-options.js';
export { isResourceType, RESOURCE_TYPES } from './resource-type.js';
export type { ResourceType } from './resource-type.js';
export type { McpResourceClient } from './session/resource-client.js';
export type { ResourceContent, ResourceValue } from './content/resource-content.js';
export { decodeContent, isJsonMimeType, isTextMimeType } from './content/resource-content.js';
export { DEFAULT_MAX_BYTES } from './content/size-limit.js';
export type { ResourceEntry, ResourceEntryKind } from './listing/resource-entry.js';
export { ResourceListing } from './listing/resource-listing.js';
export type { CacheEntry, CacheStore } from './cache/resource-cache.js';
export { AesGcmEncryption } from './cache/at-rest-encryption.js';
export type { AtRestEncryption } from './cache/at-rest-encryption.js';
export { ResourceWatch } from './watch/resource-watch.js';
export type { ResourceChange, ResourceChangeListener } from './watch/resource-watch.js';
export { expandUriTemplate, templateVariables } from './uri-template.js';
export type { TemplateValue, TemplateVariables } from './uri-template.js';
export { defineResourceDriver, DRIVER_OPERATIONS } from './drivers/resource-driver.js';
export type {
  DriverContext,
  DriverOperation,
  DriverOperations,
  DriverServerView,
  ResourceDriver,
  ResourceDriverSpec,
} from './drivers/resource-driver.js';
export type {
  ExecuteOptions,
  HttpMethod,
  KeyValueSetOptions,
  ListOptions,
  OperationOptions,
  PublishReceipt,
  ReadOptions,
  RestRequest,
  RestRequestOptions,
  SqlParam,
  SqlResult,
  SqlRows,
} from './drivers/operation-options.js';
export { textOf, textsOf, parseJson } from './drivers/tool-result.js';
export { McpSqlError } from './errors/mcp-sql-error.js';
export type { McpSqlErrorOptions } from './errors/mcp-sql-error.js';
export { inlineParams, numberPlaceholders, statementCount } from './sql/bind-params.js';
export { postgresLiteral } from './sql/postgres-literal.js';
export { McpRestError } from './errors/mcp-rest-error.js';
export type { McpRestErrorOptions } from './errors/mcp-rest-error.js';
