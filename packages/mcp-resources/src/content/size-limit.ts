// Refusing oversized content before decoding it: base64 and text lengths tell the size up front.
import { McpSecurityError, type ResourceContents } from '@tframex/mcp-api';

/** Default bound on one read, in bytes (32 MiB). */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** The decoded size of contents, estimated without decoding (exact for text, ±2 for base64). */
export function encodedSize(contents: ResourceContents): number {
  if ('blob' in contents && typeof contents.blob === 'string') {
    return Math.floor((contents.blob.length * 3) / 4);
  }
  if ('text' in contents && typeof contents.text === 'string') {
    // UTF-8 needs at most 3 bytes per UTF-16 unit; count exactly only near the bound.
    return contents.text.length;
  }
  return 0;
}

/** Throws McpSecurityError (rule `response-size`) when `size` passes `maxBytes`. */
export function assertWithinSize(
  size: number,
  maxBytes: number,
  what: string,
  server?: string,
): void {
  if (size > maxBytes) {
    throw new McpSecurityError(
      `${what} is ${size} bytes, more than maxBytes (${maxBytes}); raise maxBytes to read it`,
      { rule: 'response-size', ...(server !== undefined ? { server } : {}) },
    );
  }
}

/** Checks every part of a read result against the bound (text counted in UTF-8 bytes). */
export function assertContentsWithinSize(
  contents: readonly ResourceContents[],
  maxBytes: number,
  what: string,
  server?: string,
): void {
  let total = 0;
  for (const part of contents) {
    let size = encodedSize(part);
    if ('text' in part && typeof part.text === 'string' && size * 3 > maxBytes - total) {
      size = Buffer.byteLength(part.text, 'utf8');
    }
    total += size;
  }
  assertWithinSize(total, maxBytes, what, server);
}
