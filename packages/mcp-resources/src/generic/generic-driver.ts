// The generic resource: `<name>` of mcp://<server>/<name> is a resource URI prefix when it holds
// a scheme (`mcp://docs/file:///srv/docs`), else a prefix of resource names
// (`mcp://docs/reports`). Reading and listing go through resources/read and resources/list,
// one page at a time.
import { McpProtocolError, paginate, type Resource } from '@tframex/mcp-api';
import type { ResourceContent } from '../content/resource-content.js';
import type { DriverContext, DriverOperations } from '../drivers/resource-driver.js';
import type { ListOptions, ReadOptions } from '../drivers/operation-options.js';
import type { ResourceEntry } from '../listing/resource-entry.js';
import { joinPath, pathSegments } from '../listing/path.js';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Whether `value` is an absolute URI (has a scheme). */
export function hasScheme(value: string): boolean {
  return SCHEME.test(value);
}

/** `base` and a relative path as one URI: `file:///srv` + `a/b` → `file:///srv/a/b`. */
export function joinUri(base: string, path: string): string {
  const tail = pathSegments(path);
  if (tail.length === 0) return base;
  const encoded = tail.map((segment) => encodeURIComponent(segment)).join('/');
  return base.endsWith('/') ? `${base}${encoded}` : `${base}/${encoded}`;
}

/** The resource URI a generic read of `path` names, looking names up page by page. */
async function resolveUri(
  context: DriverContext,
  path: string,
  options: ReadOptions,
): Promise<string> {
  if (hasScheme(path)) return path;
  if (hasScheme(context.name)) return joinUri(context.name, path);
  const target = joinPath(context.name, path);
  for await (const resource of paginate(context.session, 'resources', options)) {
    if (resource.name === target || resource.uri.endsWith(`/${target}`)) return resource.uri;
  }
  throw new McpProtocolError(
    `Server "${context.session.name}" lists no resource named ${JSON.stringify(target)}`,
    { server: context.session.name, method: 'resources/read', code: -32002 },
  );
}

/** Where an entry sits relative to the listing's prefix, or undefined when outside it. */
function relativeTo(
  context: DriverContext,
  prefix: string,
  resource: Resource,
): string | undefined {
  const key = hasScheme(context.name) ? resource.uri : resource.name;
  if (prefix === '') return key;
  if (key === prefix) return '';
  const withSlash = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return key.startsWith(withSlash) ? key.slice(withSlash.length) : undefined;
}

async function* listGeneric(
  context: DriverContext,
  path: string,
  options: ListOptions,
): AsyncGenerator<ResourceEntry> {
  const prefix = hasScheme(context.name)
    ? joinUri(context.name, path)
    : joinPath(context.name, path);
  const directories = new Set<string>();
  for await (const resource of paginate(context.session, 'resources', options)) {
    const relative = relativeTo(context, prefix, resource);
    if (relative === undefined) continue;
    const parts = relative.split('/').filter(Boolean);
    if (!options.recursive && parts.length > 1) {
      const directory = parts[0]!;
      if (!directories.has(directory)) {
        directories.add(directory);
        yield { path: directory, name: directory, kind: 'directory' };
      }
      continue;
    }
    const name = parts.at(-1) ?? resource.name;
    yield {
      path: relative === '' ? name : relative,
      name,
      kind: 'resource',
      uri: resource.uri,
      ...(resource.mimeType !== undefined ? { mimeType: resource.mimeType } : {}),
      ...(resource.size !== undefined ? { size: resource.size } : {}),
    };
  }
}

export const GENERIC_OPERATIONS: DriverOperations = {
  async read(context, path, options): Promise<ResourceContent> {
    return context.readResource(await resolveUri(context, path, options), options);
  },
  list: listGeneric,
};
