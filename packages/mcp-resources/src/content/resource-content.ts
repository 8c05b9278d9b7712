// What reading a resource gives: the bytes or text as the server sent them, with its MIME type,
// and the value decoded by that type (JSON parsed, text as a string, anything else as bytes).
import { McpProtocolError, type ResourceContents } from '@tframex/mcp-api';

/** One resource's content, decoded. */
export interface ResourceContent {
  readonly uri: string;
  readonly mimeType: string | undefined;
  /** Set when the server sent text (or bytes of a textual MIME type, decoded as UTF-8). */
  readonly text?: string;
  /** Set when the server sent bytes. */
  readonly bytes?: Uint8Array;
  /** The server's cache hint for this read, in ms (2026-07-28 `ttlMs`), when it gave one. */
  readonly ttlMs?: number;
}

/** What `read()` returns: parsed JSON for JSON types, a string for text, bytes for the rest. */
export type ResourceValue = unknown;

const TEXT_TYPES =
  /^(text\/|application\/(json|jsonl|x-ndjson|xml|javascript|ecmascript|yaml|x-yaml|toml|sql|graphql|x-sh|x-www-form-urlencoded)\b)|\+(json|xml|yaml)\b/i;
const JSON_TYPES = /^application\/(json|[\w.-]+\+json)\b/i;

/** Whether a MIME type holds text (text/*, JSON, XML, YAML, ...). */
export function isTextMimeType(mimeType: string | undefined): boolean {
  return mimeType !== undefined && TEXT_TYPES.test(mimeType);
}

/** Whether a MIME type holds JSON (`application/json`, `application/*+json`). */
export function isJsonMimeType(mimeType: string | undefined): boolean {
  return mimeType !== undefined && JSON_TYPES.test(mimeType);
}

/** A content record from MCP resource contents (`text` or base64 `blob`). */
export function contentFromContents(contents: ResourceContents): ResourceContent {
  const mimeType = contents.mimeType;
  if ('text' in contents && typeof contents.text === 'string') {
    return { uri: contents.uri, mimeType, text: contents.text };
  }
  if ('blob' in contents && typeof contents.blob === 'string') {
    const bytes = new Uint8Array(Buffer.from(contents.blob, 'base64'));
    return isTextMimeType(mimeType)
      ? { uri: contents.uri, mimeType, text: Buffer.from(bytes).toString('utf8'), bytes }
      : { uri: contents.uri, mimeType, bytes };
  }
  throw new McpProtocolError(
    `Resource contents of ${JSON.stringify(contents.uri)} hold neither text nor a base64 blob`,
    { method: 'resources/read', code: -32603 },
  );
}

/** The value a content decodes to: JSON by MIME type, then text, then bytes. */
export function decodeContent(content: ResourceContent): ResourceValue {
  if (content.text !== undefined && isJsonMimeType(content.mimeType)) {
    try {
      return JSON.parse(content.text) as unknown;
    } catch (error) {
      throw new McpProtocolError(
        `Resource ${JSON.stringify(content.uri)} is labelled ${content.mimeType} but is not valid JSON`,
        { method: 'resources/read', code: -32603, cause: error },
      );
    }
  }
  if (content.text !== undefined) return content.text;
  return content.bytes ?? new Uint8Array();
}

/** Size of a content in bytes (UTF-8 for text). */
export function contentSize(content: ResourceContent): number {
  if (content.bytes) return content.bytes.byteLength;
  return Buffer.byteLength(content.text ?? '', 'utf8');
}
