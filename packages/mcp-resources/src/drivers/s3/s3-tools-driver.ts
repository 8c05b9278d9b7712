// type 's3' over object-store tools: `list-objects {bucket, prefix, delimiter,
// continuationToken}` and `get-object {bucket, key}` (and their snake_case spellings), the
// names S3 MCP servers use. `<name>` is `<bucket>[/<key prefix>]`. Listing follows
// continuation tokens page by page.
import { McpProtocolError } from '@tframex/mcp-api';
import { mimeTypeOf } from '../../content/mime-types.js';
import type { ResourceContent } from '../../content/resource-content.js';
import { assertWithinSize } from '../../content/size-limit.js';
import type { ResourceEntry } from '../../listing/resource-entry.js';
import { joinPath } from '../../listing/path.js';
import { mediaContent } from '../filesystem/media-content.js';
import type { ListOptions, OperationOptions } from '../operation-options.js';
import {
  defineResourceDriver,
  type DriverContext,
  type DriverServerView,
} from '../resource-driver.js';
import { parseJson, textOf } from '../tool-result.js';

const LIST_TOOLS = ['list-objects', 'list_objects', 'listObjects', 's3_list_objects'];
const GET_TOOLS = ['get-object', 'get_object', 'getObject', 's3_get_object'];

const toolOf = (server: DriverServerView, names: string[]) =>
  names.find((name) => server.tools.has(name));

function options(o: OperationOptions) {
  return {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  };
}

interface ListedPage {
  objects: Array<{ key: string; size?: number }>;
  prefixes: string[];
  next?: string;
}

function field(record: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) if (record[name] !== undefined) return record[name];
  return undefined;
}

function parsePage(value: unknown, tool: string): ListedPage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new McpProtocolError(`Tool "${tool}" answered without an object listing`, {
      method: 'tools/call',
      code: -32603,
    });
  }
  const record = value as Record<string, unknown>;
  const contents = field(record, 'Contents', 'contents', 'objects');
  const objects = (Array.isArray(contents) ? contents : []).flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const entry = item as Record<string, unknown>;
    const key = field(entry, 'Key', 'key');
    const size = field(entry, 'Size', 'size');
    return typeof key === 'string' ? [{ key, ...(typeof size === 'number' ? { size } : {}) }] : [];
  });
  const common = field(record, 'CommonPrefixes', 'commonPrefixes', 'prefixes');
  const prefixes = (Array.isArray(common) ? common : []).flatMap((item) => {
    const prefix =
      typeof item === 'string'
        ? item
        : field((item ?? {}) as Record<string, unknown>, 'Prefix', 'prefix');
    return typeof prefix === 'string' ? [prefix] : [];
  });
  const next = field(record, 'NextContinuationToken', 'nextContinuationToken');
  const truncated = field(record, 'IsTruncated', 'isTruncated');
  return {
    objects,
    prefixes,
    ...(typeof next === 'string' && truncated !== false ? { next } : {}),
  };
}

function keyOf(context: DriverContext, path: string): string {
  return joinPath(context.prefix, path);
}

async function* list(
  context: DriverContext,
  path: string,
  o: ListOptions,
): AsyncGenerator<ResourceEntry> {
  const tool = toolOf(context, LIST_TOOLS)!;
  const base = keyOf(context, path);
  const prefix = base === '' ? '' : `${base}/`;
  const strip = prefix.length; // paths are relative to the listed directory
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const result = await context.call(
      tool,
      {
        bucket: context.instance,
        prefix,
        ...(o.recursive ? {} : { delimiter: '/' }),
        ...(token !== undefined ? { continuationToken: token } : {}),
      },
      options(o),
    );
    const page = parsePage(parseJson(textOf(result), tool), tool);
    for (const directory of page.prefixes) {
      const shown = directory.replace(/\/$/, '').slice(strip);
      yield {
        path: shown,
        name: shown.slice(shown.lastIndexOf('/') + 1),
        kind: 'directory',
        uri: `s3://${context.instance}/${directory}`,
      };
    }
    for (const object of page.objects) {
      if (object.key.endsWith('/')) continue; // folder markers
      const shown = object.key.slice(strip);
      const mimeType = mimeTypeOf(object.key);
      yield {
        path: shown,
        name: shown.slice(shown.lastIndexOf('/') + 1),
        kind: 'file',
        uri: `s3://${context.instance}/${object.key}`,
        ...(mimeType ? { mimeType } : {}),
        ...(object.size !== undefined ? { size: object.size } : {}),
      };
    }
    token = page.next;
    if (token !== undefined) {
      if (seen.has(token)) {
        throw new McpProtocolError(`Tool "${tool}" handed out continuation token ${token} twice`, {
          method: 'tools/call',
          code: -32603,
        });
      }
      seen.add(token);
    }
  } while (token !== undefined);
}

export const s3ToolsDriver = defineResourceDriver({
  name: 's3-tools',
  type: 's3',
  lookingFor: 'list-objects + get-object (or list_objects + get_object)',
  matches: (server) =>
    toolOf(server, LIST_TOOLS) !== undefined && toolOf(server, GET_TOOLS) !== undefined,
  async read(context, path, o): Promise<ResourceContent> {
    const tool = toolOf(context, GET_TOOLS)!;
    const key = keyOf(context, path);
    const uri = `s3://${context.instance}/${key}`;
    const result = await context.call(tool, { bucket: context.instance, key }, options(o));
    const hint = mimeTypeOf(key);
    const first = result.content?.[0];
    const content: ResourceContent =
      first?.type === 'text'
        ? { uri, mimeType: hint ?? 'text/plain', text: textOf(result) }
        : mediaContent(result, uri, hint, tool);
    const size = content.bytes?.byteLength ?? Buffer.byteLength(content.text ?? '');
    assertWithinSize(size, o.maxBytes ?? context.maxBytes, `Object ${uri}`, context.session.name);
    return content;
  },
  list,
});
