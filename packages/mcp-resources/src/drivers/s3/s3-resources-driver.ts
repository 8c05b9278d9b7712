// type 's3' over `s3://bucket/key` resources (and templates) of any server: reads are
// resources/read, listings walk resources/list page by page.
import { GENERIC_OPERATIONS } from '../../generic/generic-driver.js';
import type { ResourceEntry } from '../../listing/resource-entry.js';
import type { ListOptions } from '../operation-options.js';
import { defineResourceDriver, type DriverContext } from '../resource-driver.js';

function asUriBase(context: DriverContext): DriverContext {
  const base =
    context.prefix === ''
      ? `s3://${context.instance}`
      : `s3://${context.instance}/${context.prefix}`;
  return { ...context, name: base };
}

async function* list(
  context: DriverContext,
  path: string,
  o: ListOptions,
): AsyncGenerator<ResourceEntry> {
  for await (const entry of GENERIC_OPERATIONS.list!(asUriBase(context), path, o)) {
    yield entry.kind === 'resource' ? { ...entry, kind: 'file' } : entry;
  }
}

export const s3ResourcesDriver = defineResourceDriver({
  name: 's3-resources',
  type: 's3',
  lookingFor: 's3:// resources',
  matches: (server) => server.capabilities?.resources !== undefined,
  read: (context, path, o) => GENERIC_OPERATIONS.read!(asUriBase(context), path, o),
  list,
});
