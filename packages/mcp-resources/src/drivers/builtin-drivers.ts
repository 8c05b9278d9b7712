// The drivers MCPResource knows for each type, in the order they are tried.
import type { ResourceType } from '../resource-type.js';
import { filesystemDriver } from './filesystem/filesystem-driver.js';
import { POSTGRESQL_DRIVERS } from './postgresql/postgresql-drivers.js';
import { KEYVALUE_DRIVERS } from './keyvalue/keyvalue-drivers.js';
import { MESSAGEQUEUE_DRIVERS } from './messagequeue/messagequeue-drivers.js';
import type { ResourceDriver } from './resource-driver.js';
import { openApiDriver } from './rest/openapi-driver.js';
import { requestToolDriver } from './rest/request-tool-driver.js';
import { resourceTemplateDriver } from './rest/resource-template-driver.js';
import { s3ResourcesDriver } from './s3/s3-resources-driver.js';
import { s3ToolsDriver } from './s3/s3-tools-driver.js';

export const BUILTIN_DRIVERS: Readonly<Record<ResourceType, readonly ResourceDriver[]>> = {
  postgresql: POSTGRESQL_DRIVERS,
  filesystem: [filesystemDriver],
  s3: [s3ToolsDriver, s3ResourcesDriver],
  rest: [requestToolDriver, openApiDriver, resourceTemplateDriver],
  keyvalue: KEYVALUE_DRIVERS,
  messagequeue: MESSAGEQUEUE_DRIVERS,
};
