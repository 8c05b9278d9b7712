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

export const BUILTIN_DRIVERS: Readonly<Record<ResourceType, readonly ResourceDriver[]>> = {
  postgresql: POSTGRESQL_DRIVERS,
  filesystem: [filesystemDriver],
  s3: [],
  rest: [requestToolDriver, openApiDriver, resourceTemplateDriver],
  keyvalue: KEYVALUE_DRIVERS,
  messagequeue: MESSAGEQUEUE_DRIVERS,
};
