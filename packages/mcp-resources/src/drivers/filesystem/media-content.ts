// Bytes out of a tool result: image/audio blocks (base64 `data`) or embedded resources (`blob`
// or `text`), as file servers answer `read_media_file`.
import { McpProtocolError, type CallToolResult } from '@tframex/mcp-api';
import type { ResourceContent } from '../../content/resource-content.js';
import { isTextMimeType } from '../../content/resource-content.js';

/** The first binary or embedded content of `result`, as a ResourceContent for `uri`. */
export function mediaContent(
  result: CallToolResult,
  uri: string,
  mimeHint: string | undefined,
  tool: string,
): ResourceContent {
  for (const block of result.content ?? []) {
    if (block.type === 'image' || block.type === 'audio') {
      return bytesContent(uri, block.mimeType ?? mimeHint, block.data);
    }
    if (block.type === 'resource') {
      const resource = block.resource;
      const mimeType = preferred(resource.mimeType, mimeHint);
      if ('blob' in resource && typeof resource.blob === 'string') {
        return bytesContent(uri, mimeType, resource.blob);
      }
      if ('text' in resource && typeof resource.text === 'string') {
        return { uri, mimeType, text: resource.text };
      }
    }
  }
  throw new McpProtocolError(`Tool "${tool}" answered without the file's bytes`, {
    method: 'tools/call',
    code: -32603,
  });
}

/** The server's MIME type, unless it is the say-nothing `application/octet-stream`. */
function preferred(server: string | undefined, hint: string | undefined): string | undefined {
  if (server === undefined || server === 'application/octet-stream') return hint ?? server;
  return server;
}

function bytesContent(uri: string, mimeType: string | undefined, base64: string): ResourceContent {
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  return isTextMimeType(mimeType)
    ? { uri, mimeType, text: Buffer.from(bytes).toString('utf8'), bytes }
    : { uri, mimeType, bytes };
}
