// type 'filesystem': @modelcontextprotocol/server-filesystem and servers with its tool names.
// `<name>` of the URI is a directory: absolute (`mcp://fs//srv/shared`) or relative to the
// server's first allowed directory (`mcp://fs/shared`).
import { McpProtocolError } from '@tframex/mcp-api';
import { isTextMimeType } from '../../content/resource-content.js';
import { assertWithinSize } from '../../content/size-limit.js';
import { mimeTypeOf } from '../../content/mime-types.js';
import type { ResourceEntry } from '../../listing/resource-entry.js';
import { joinPath, pathSegments } from '../../listing/path.js';
import type { ListOptions, OperationOptions } from '../operation-options.js';
import { defineResourceDriver, type DriverContext } from '../resource-driver.js';
import { textOf } from '../tool-result.js';
import { mediaContent } from './media-content.js';

/** The absolute directory the resource stands for. */
function baseDirectory(context: DriverContext, options: OperationOptions): Promise<string> {
  return context.memo('filesystem:base', async () => {
    const name = context.name;
    if (name.startsWith('/')) return `/${pathSegments(name, 'uri').join('/')}`;
    if (!context.tools.has('list_allowed_directories')) return joinPath('', name, 'uri');
    const text = textOf(await context.call('list_allowed_directories', {}, options));
    const first = text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.startsWith('/'));
    return joinPath(first ?? '', name, 'uri');
  });
}

function fileUri(path: string): string {
  return `file://${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** Checks the size with get_file_info, when the server has it, before the server sends the file. */
async function checkSize(
  context: DriverContext,
  path: string,
  maxBytes: number,
  options: OperationOptions,
): Promise<void> {
  if (!context.tools.has('get_file_info')) return;
  const info = textOf(await context.call('get_file_info', { path }, options));
  const size = /^size:\s*(\d+)/m.exec(info);
  if (size) assertWithinSize(Number(size[1]), maxBytes, `File ${path}`, context.session.name);
}

/** `[FILE] name` / `[DIR] name` lines of list_directory. */
function parseListing(text: string): Array<{ name: string; directory: boolean }> {
  const entries: Array<{ name: string; directory: boolean }> = [];
  for (const line of text.split('\n')) {
    const match = /^\[(FILE|DIR)\] (.+)$/.exec(line);
    if (match) entries.push({ name: match[2]!, directory: match[1] === 'DIR' });
  }
  return entries;
}

async function* walk(
  context: DriverContext,
  path: string,
  options: ListOptions,
): AsyncGenerator<ResourceEntry> {
  const base = await baseDirectory(context, options);
  const start = joinPath(base, path);
  const relativeStart = pathSegments(path).join('/');
  // Depth-first, one directory listing at a time: memory grows with depth, not with size.
  const pending: string[] = [relativeStart];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    const absolute = relative === relativeStart ? start : joinPath(base, relative);
    const text = textOf(await context.call('list_directory', { path: absolute }, options));
    const below: string[] = [];
    for (const entry of parseListing(text)) {
      const entryPath = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const shown = relativeStart === '' ? entryPath : entryPath.slice(relativeStart.length + 1);
      const mimeType = entry.directory ? undefined : mimeTypeOf(entry.name);
      yield {
        path: shown,
        name: entry.name,
        kind: entry.directory ? 'directory' : 'file',
        uri: fileUri(`${base}/${entryPath}`.replace(/^\/\//, '/')),
        ...(mimeType ? { mimeType } : {}),
      };
      if (entry.directory && options.recursive) below.push(entryPath);
    }
    pending.push(...below.reverse());
  }
}

export const filesystemDriver = defineResourceDriver({
  name: 'server-filesystem',
  type: 'filesystem',
  requires: ['read_text_file', 'list_directory'],
  async read(context, path, options) {
    const absolute = joinPath(await baseDirectory(context, options), path);
    const maxBytes = options.maxBytes ?? context.maxBytes;
    await checkSize(context, absolute, maxBytes, options);
    const mimeType = mimeTypeOf(absolute);
    const uri = fileUri(absolute);
    if (
      mimeType !== undefined &&
      !isTextMimeType(mimeType) &&
      context.tools.has('read_media_file')
    ) {
      const result = await context.call('read_media_file', { path: absolute }, options);
      const content = mediaContent(result, uri, mimeType, 'read_media_file');
      assertWithinSize(
        content.bytes?.byteLength ?? 0,
        maxBytes,
        `File ${absolute}`,
        context.session.name,
      );
      return content;
    }
    const result = await context.call('read_text_file', { path: absolute }, options);
    const text = textOf(result);
    if (result.content?.length && text === '' && result.content[0]?.type !== 'text') {
      throw new McpProtocolError(`read_text_file of ${absolute} answered without text`, {
        method: 'tools/call',
        code: -32603,
      });
    }
    assertWithinSize(Buffer.byteLength(text), maxBytes, `File ${absolute}`, context.session.name);
    return { uri, mimeType: mimeType ?? 'text/plain', text };
  },
  list: walk,
});
